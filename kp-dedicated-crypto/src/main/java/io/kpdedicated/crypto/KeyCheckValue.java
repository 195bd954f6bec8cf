package io.kpdedicated.crypto;

import java.util.Locale;
import java.util.Objects;

/**
 * The key check value (KCV) of an AES master key: a short public fingerprint that tells whether two
 * parties hold the same key without revealing it.
 *
 * <p>Computed as ANSI X9.24-1:2017 prescribes for AES keys: AES-CMAC of one block of sixteen zero
 * bytes under the key, leftmost five bytes, written as ten upper-case hex digits.
 *
 * @param hex the value as upper-case hexadecimal
 */
public record KeyCheckValue(String hex) {
  /** Validates and normalizes the hex text. */
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

  /**
   * Computes the check value of an AES key.
   *
   * @param aesKey 16, 24 or 32 key bytes; not modified
   * @return the check value
   */
  public static KeyCheckValue of(byte[] aesKey) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  @Override
  public String toString() {
    return hex;
  }
}
