package io.kpdedicated.testkit.nativehsm;

import io.kpdedicated.testkit.HsmUnitAccess;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;

/**
 * How the stand-in's Java model answers a call: the result text it hands the library (which
 * copies it into library memory), the status of a refused unit, and the small checks several
 * parts share. Thread-safe: the stand-in keeps the pending answer per calling thread.
 */
final class StandInAnswers {
  private final StandInLibrary control;

  StandInAnswers(StandInLibrary control) {
    this.control = control;
  }

  /** Sets the call's result text; null for none. */
  void reply(String text) {
    control.StandInReply(text == null ? null : withNul(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Sets the call's result text to exactly these bytes (a NUL is added). */
  void replyRaw(byte[] text) {
    control.StandInReply(withNul(text));
  }

  /** Sets the call's integer result. */
  void replyInt(int value) {
    control.StandInReplyInt(value);
  }

  /** Replies why the unit refused and returns the library's status for it. */
  long refusal(HsmUnitAccess.Outcome o, String unitId) {
    switch (o) {
      case NOT_CLAIMED:
        reply("crypto unit " + unitId + " must be claimed first");
        return 0xB1B39FC5L;
      case UNAVAILABLE:
        reply("crypto unit " + unitId + " is not available");
        return 0xB1B3C350L;
      default:
        reply("crypto unit " + unitId + " not found");
        return 0xB1B39DD1L;
    }
  }

  /** Whether two RSA public keys are the same key; false when either is null. */
  static boolean sameKey(RSAPublicKey a, RSAPublicKey b) {
    return a != null && b != null && a.getModulus().equals(b.getModulus())
        && a.getPublicExponent().equals(b.getPublicExponent());
  }

  /** The lowercase hex SHA-256 of a text's UTF-8 bytes. */
  static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] withNul(byte[] b) {
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }
}
