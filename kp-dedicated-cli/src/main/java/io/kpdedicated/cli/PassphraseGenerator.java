package io.kpdedicated.cli;

import io.kpdedicated.crypto.Passphrase;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Makes the random passphrases kpd writes to {@code passphrases.txt}: {@value #LENGTH} characters
 * from an alphabet of 57 letters and digits without look-alikes (0/O, 1/l/I), about 140 bits.
 * The one place the CLI generates passphrases. Stateless.
 */
final class PassphraseGenerator {
  /** Characters a generated passphrase is made of: no 0, O, 1, I, l. */
  private static final char[] ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
  /** Length of a generated passphrase; within {@link Passphrase#MIN_LENGTH} and MAX_LENGTH. */
  static final int LENGTH = 24;

  private PassphraseGenerator() {}

  /** Returns a new random passphrase; the caller closes it. */
  static Passphrase generate(SecureRandom random) {
    char[] chars = new char[LENGTH];
    try {
      for (int i = 0; i < chars.length; i++) {
        chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
      }
      return Passphrase.of(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }
}
