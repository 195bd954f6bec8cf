package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PassphraseGenerateTest {
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  @Test
  void generatedPassphrasesHaveTheLengthAndAlphabetAndDiffer() {
    SecureRandom random = new SecureRandom();
    Set<String> seen = new HashSet<>();
    Set<Character> used = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      try (Passphrase p = Passphrase.generate(random)) {
        char[] chars = p.copyChars();
        assertThat(chars).hasSize(Passphrase.GENERATED_LENGTH);
        String s = new String(chars);
        assertThat(s).matches("[A-HJ-NP-Za-km-z2-9]+");
        assertThat(seen.add(s)).as("a repeated passphrase").isTrue();
        for (char c : chars) {
          used.add(c);
        }
      }
    }
    // 4,800 draws from 57 characters: every one appears (the chance that one is missing is
    // about 57 * (56/57)^4800, under 1e-35).
    assertThat(used).hasSize(ALPHABET.length());
    assertThat(Passphrase.GENERATED_LENGTH)
        .isBetween(Passphrase.MIN_LENGTH, Passphrase.MAX_LENGTH);
  }

  @Test
  void theCharactersComeFromTheGivenRandomSource() {
    SecureRandom zeros = new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public int nextInt(int bound) {
        return 0;
      }
    };
    try (Passphrase p = Passphrase.generate(zeros)) {
      assertThat(new String(p.copyChars())).isEqualTo("A".repeat(Passphrase.GENERATED_LENGTH));
    }
  }

  @Test
  void aNullRandomSourceIsRefused() {
    assertThatThrownBy(() -> Passphrase.generate(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("random");
  }
}
