package io.kpdedicated.crypto;

import io.kpdedicated.crypto.internal.AesCmac;
import io.kpdedicated.crypto.internal.Hex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The key check value (KCV) of an AES master key: a short public fingerprint that tells whether two
 * parties hold the same key without revealing it.
 *
 * <p>Computed as ANSI X9.24-1:2017 (Retail Financial Services Symmetric Key Management, Part 1)
 * prescribes for AES keys, the same rule PCI PIN Security requirement 15-1 repeats: AES keys use
 * only the CMAC method, that is the CMAC of NIST SP 800-38B (RFC 4493 for AES-128) computed under
 * the key over one all-zero block (sixteen {@code 0x00} bytes); the check value is the leftmost
 * <i>n</i> bits of the tag with <i>n</i> at most 40. We keep the full 40 bits: the leftmost five
 * bytes, written as ten upper-case hex digits. (The older method, encrypting a zero block and
 * keeping 24 bits, is for TDEA keys only and gives a different value.)
 *
 * <p>A check value reveals nothing useful about the key, but 40 bits are not a collision-proof
 * digest: it detects mistakes (wrong or mixed-up keys), not a deliberate forgery.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hex the value as hexadecimal; normalized to upper case
 */
public record KeyCheckValue(String hex) {
  /**
   * Validates and normalizes the hex text.
   *
   * @param hex the value as hexadecimal; normalized to upper case
   */
  public KeyCheckValue {
    Objects.requireNonNull(hex, "hex");
    hex = hex.toUpperCase(Locale.ROOT);
    if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.chars().allMatch(KeyCheckValue::isHex)) {
      throw new IllegalArgumentException("key check value must be an even number of hex digits");
    }
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }

  /** Number of bytes of the CMAC tag kept as the check value (40 bits). */
  public static final int LENGTH_BYTES = 5;

  /**
   * Computes the check value of an AES key: the leftmost five bytes of AES-CMAC(key, 16 zero bytes).
   *
   * @param aesKey 16, 24 or 32 key bytes; not modified and not kept
   * @return the check value
   * @throws NullPointerException if {@code aesKey} is null
   * @throws IllegalArgumentException if the key is not 16, 24 or 32 bytes long
   */
  public static KeyCheckValue of(byte[] aesKey) {
    Objects.requireNonNull(aesKey, "aesKey");
    byte[] tag = AesCmac.mac(aesKey, new byte[16]);
    return new KeyCheckValue(Hex.upper(Arrays.copyOf(tag, LENGTH_BYTES)));
  }

  /**
   * Compares with another check value in time independent of where they differ.
   *
   * @param other the value to compare with; never null
   * @return whether both hold the same digits
   */
  public boolean matches(KeyCheckValue other) {
    Objects.requireNonNull(other, "other");
    return MessageDigest.isEqual(
        hex.getBytes(StandardCharsets.US_ASCII), other.hex.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return hex;
  }
}
