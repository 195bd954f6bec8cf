package io.kpdedicated.http;

import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.RsaKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An HSM command signed by a unit's administrator: the authentication of the signed-REST session
 * protocol, shared by every transport and by the emulator so both sides build the same bytes.
 *
 * <p>Signature base (UTF-8, lines joined by {@code \n}, no trailing newline):
 *
 * <pre>
 * KPD-SIG-1
 * &lt;verb&gt;             e.g. POST
 * &lt;resource&gt;         e.g. /api/v1/crypto_units/UNIT/session/master-keys
 * &lt;unit id&gt;
 * &lt;timestamp&gt;        epoch milliseconds, decimal
 * &lt;nonce&gt;            16 random bytes, base64url without padding
 * &lt;body sha-256&gt;     lower-case hex of SHA-256 over the exact body bytes (empty body too)
 * </pre>
 *
 * The signature is SHA256withRSA (PKCS#1 v1.5) over that base. A verifier also checks that the
 * timestamp is recent and the nonce unused; that is the verifier's job, not this record's.
 *
 * @param verb the method, upper case
 * @param resource the path of the command, starting with {@code /}
 * @param unitId the unit the command is for
 * @param timestampMillis when it was signed, epoch milliseconds
 * @param nonce a random, single-use value
 * @param bodySha256Hex SHA-256 of the body, lower-case hex
 * @param signature the signature bytes (copied)
 */
public record SignedCommand(
    String verb,
    String resource,
    String unitId,
    long timestampMillis,
    String nonce,
    String bodySha256Hex,
    byte[] signature) {

  /** The version tag that starts every signature base. */
  public static final String VERSION = "KPD-SIG-1";

  /**
   * Validates and copies.
   *
   * @param verb the method, upper case
   * @param resource the path of the command, starting with {@code /}
   * @param unitId the unit the command is for
   * @param timestampMillis when it was signed, epoch milliseconds
   * @param nonce a random, single-use value
   * @param bodySha256Hex SHA-256 of the body, lower-case hex
   * @param signature the signature bytes (copied)
   */
  public SignedCommand {
    requireLine(verb, "verb");
    requireLine(resource, "resource");
    requireLine(unitId, "unitId");
    requireLine(nonce, "nonce");
    requireLine(bodySha256Hex, "bodySha256Hex");
    if (!resource.startsWith("/")) {
      throw new IllegalArgumentException("resource must start with '/'");
    }
    signature = Objects.requireNonNull(signature, "signature").clone();
  }

  private static void requireLine(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isEmpty() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(field + " must be one non-empty line");
    }
  }

  /**
   * Returns the signature bytes.
   *
   * @return a copy of the signature bytes
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /**
   * Signs a command.
   *
   * @param signer the administrator
   * @param verb the method
   * @param resource the path
   * @param unitId the unit
   * @param body the exact body bytes (empty array for none)
   * @param now the signing time
   * @param random the source of the nonce
   * @return the signed command
   */
  public static SignedCommand sign(AdminSigner signer, String verb, String resource, String unitId,
      byte[] body, Instant now, SecureRandom random) {
    Objects.requireNonNull(signer, "signer");
    byte[] nonceBytes = new byte[16];
    random.nextBytes(nonceBytes);
    String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
    String digest = sha256Hex(body);
    long ts = now.toEpochMilli();
    byte[] base = signatureBase(verb, resource, unitId, ts, nonce, digest);
    return new SignedCommand(verb, resource, unitId, ts, nonce, digest, signer.sign(base));
  }

  /**
   * Returns the bytes that are signed, per the layout in the class description.
   *
   * @param verb the method, upper case
   * @param resource the path of the command, starting with {@code /}
   * @param unitId the unit the command is for
   * @param timestampMillis when it was signed, epoch milliseconds
   * @param nonce a random, single-use value
   * @param bodySha256Hex SHA-256 of the body, lower-case hex
   * @return the signature base, UTF-8
   */
  public static byte[] signatureBase(String verb, String resource, String unitId, long timestampMillis,
      String nonce, String bodySha256Hex) {
    String text = String.join("\n", VERSION, verb, resource, unitId, Long.toString(timestampMillis),
        nonce, bodySha256Hex);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** {@return this command's signature base} */
  public byte[] signatureBase() {
    return signatureBase(verb, resource, unitId, timestampMillis, nonce, bodySha256Hex);
  }

  /**
   * Checks the signature and that {@code body} is the body that was signed.
   *
   * @param admin the unit's administrator key
   * @param body the body received
   * @return true when both hold
   */
  public boolean verify(RSAPublicKey admin, byte[] body) {
    byte[] expected = sha256Hex(body).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, bodySha256Hex.getBytes(StandardCharsets.US_ASCII))) {
      return false;
    }
    return RsaKeys.verify(admin, signatureBase(), signature);
  }

  /**
   * Returns the lower-case hex SHA-256 of {@code body}.
   *
   * @param body the exact body bytes (empty array for none)
   * @return 64 lower-case hex digits
   */
  public static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedCommand c
        && verb.equals(c.verb) && resource.equals(c.resource) && unitId.equals(c.unitId)
        && timestampMillis == c.timestampMillis && nonce.equals(c.nonce)
        && bodySha256Hex.equals(c.bodySha256Hex) && Arrays.equals(signature, c.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(verb, resource, unitId, timestampMillis, nonce, bodySha256Hex)
        * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedCommand[" + verb + " " + resource + " unit=" + unitId + " ts=" + timestampMillis + "]";
  }
}
