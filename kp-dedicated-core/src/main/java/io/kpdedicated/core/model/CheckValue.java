package io.kpdedicated.core.model;

import java.util.Objects;

/**
 * A master key's check value as the backend that computed it writes it: a short public fingerprint
 * that tells whether two units hold the same key. The text is the backend's own (the portable
 * backend writes the ten hex digits of an AES-CMAC check value, IBM's native library two groups of
 * sixteen hex digits joined by {@code :}); values are compared as text, within one backend, and
 * never converted.
 *
 * @param text the value, one line of printable characters, at most 128
 */
public record CheckValue(String text) {
  /** The longest text accepted. */
  public static final int MAX_LENGTH = 128;

  /**
   * Validates the text.
   *
   * @param text the value, one line of printable characters, at most 128
   */
  public CheckValue {
    Objects.requireNonNull(text, "text");
    if (text.isBlank() || text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a check value must have 1 to " + MAX_LENGTH
          + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("a check value must be printable ASCII without blanks");
      }
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
