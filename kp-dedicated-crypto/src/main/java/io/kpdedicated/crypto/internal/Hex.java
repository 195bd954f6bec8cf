package io.kpdedicated.crypto.internal;

import java.util.Locale;

/** Hexadecimal encoding helpers. Stateless and thread-safe. */
public final class Hex {
  private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

  private Hex() {}

  /** Encodes bytes as upper-case hex. */
  public static String upper(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
    }
    return new String(out);
  }

  /** Encodes bytes as lower-case hex. */
  public static String lower(byte[] bytes) {
    return upper(bytes).toLowerCase(Locale.ROOT);
  }

  /**
   * Decodes hex text (either case).
   *
   * @throws IllegalArgumentException if the text is not an even number of hex digits
   */
  public static byte[] decode(String hex) {
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException("hex text must have an even number of digits");
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("hex text holds a character that is not a hex digit");
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }
}
