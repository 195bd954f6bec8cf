package io.kpdedicated.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A passphrase held as characters that can be wiped.
 *
 * <p>A passphrase has 6 to 255 characters, as the Key Protect runbook requires. This class keeps
 * its own copy of the characters; {@link #close()} (or {@link #destroy()}) overwrites them with
 * zeros, after which every access throws {@link IllegalStateException}. {@link #toString()} never
 * shows the characters. Instances are thread-safe for reading; destroy them once no thread needs
 * them any more.
 */
public final class Passphrase implements Destroyable, AutoCloseable {
  /** The shortest passphrase accepted. */
  public static final int MIN_LENGTH = 6;
  /** The longest passphrase accepted. */
  public static final int MAX_LENGTH = 255;
  /** The length of a {@linkplain #generate(SecureRandom) generated} passphrase. */
  public static final int GENERATED_LENGTH = 24;
  /** The characters of a generated passphrase: letters and digits without 0, O, 1, I and l. */
  private static final char[] GENERATED_ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

  private final char[] chars;
  private volatile boolean destroyed;

  private Passphrase(char[] chars) {
    this.chars = chars;
  }

  /**
   * Copies the given characters into a new passphrase. The caller may wipe its own array afterwards.
   *
   * @param chars the passphrase, 6 to 255 characters
   * @return a new passphrase
   * @throws NullPointerException if {@code chars} is null
   * @throws IllegalArgumentException if the length is outside 6..255 (the message states the
   *     length rule, never the characters)
   */
  public static Passphrase of(char[] chars) {
    Objects.requireNonNull(chars, "passphrase");
    if (chars.length < MIN_LENGTH || chars.length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "passphrase must have " + MIN_LENGTH + " to " + MAX_LENGTH + " characters, it has "
              + chars.length);
    }
    return new Passphrase(chars.clone());
  }

  /**
   * Generates a random passphrase: {@value #GENERATED_LENGTH} characters drawn uniformly from 57
   * letters and digits without look-alikes (no 0, O, 1, I or l), about 140 bits. Meant for files
   * a program protects on a person's behalf, with the passphrase written down for them.
   *
   * @param random the source of randomness
   * @return a new passphrase; the caller closes it
   * @throws NullPointerException if {@code random} is null
   */
  public static Passphrase generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    char[] chars = new char[GENERATED_LENGTH];
    try {
      for (int i = 0; i < chars.length; i++) {
        chars[i] = GENERATED_ALPHABET[random.nextInt(GENERATED_ALPHABET.length)];
      }
      return of(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /**
   * Convenience for tests and command-line input: copies the characters of a string. Prefer
   * {@link #of(char[])} where the secret can be kept out of immutable strings.
   *
   * @param value the passphrase, 6 to 255 characters
   * @return a new passphrase
   */
  public static Passphrase of(String value) {
    Objects.requireNonNull(value, "passphrase");
    char[] chars = value.toCharArray();
    try {
      return of(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /**
   * {@return a copy of the characters; the caller must wipe it after use}
   *
   * @throws IllegalStateException if this passphrase was destroyed
   */
  public char[] copyChars() {
    checkAlive();
    return chars.clone();
  }

  /** {@return the number of characters} */
  public int length() {
    checkAlive();
    return chars.length;
  }

  /** {@return a new passphrase with the same characters, independent of this one's lifetime} */
  public Passphrase copy() {
    checkAlive();
    return new Passphrase(chars.clone());
  }

  private void checkAlive() {
    if (destroyed) {
      throw new IllegalStateException("passphrase was destroyed");
    }
  }

  /** Overwrites the characters with zeros. Idempotent. */
  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(chars, '\0');
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Same as {@link #destroy()}. */
  @Override
  public void close() {
    destroy();
  }

  /** Returns a fixed text that never reveals the passphrase. */
  @Override
  public String toString() {
    return "Passphrase[redacted]";
  }
}
