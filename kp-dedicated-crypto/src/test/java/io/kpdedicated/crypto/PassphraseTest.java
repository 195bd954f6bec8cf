package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PassphraseTest {

  @Test
  void acceptsSixToTwoHundredFiftyFiveCharacters() {
    assertThat(Passphrase.of("abcdef").length()).isEqualTo(6);
    assertThat(Passphrase.of("x".repeat(255)).length()).isEqualTo(255);
    assertThatThrownBy(() -> Passphrase.of("abcde"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("6 to 255")
        .hasMessageNotContaining("abcde");
    assertThatThrownBy(() -> Passphrase.of("y".repeat(256)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("yyyyyy");
    assertThatThrownBy(() -> Passphrase.of((String) null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void keepsItsOwnCopyAndWipesItOnClose() {
    char[] chars = "secret-words".toCharArray();
    Passphrase p = Passphrase.of(chars);
    chars[0] = 'X';
    assertThat(p.copyChars()).isEqualTo("secret-words".toCharArray());

    Passphrase copy = p.copy();
    p.close();
    assertThat(p.isDestroyed()).isTrue();
    assertThatThrownBy(p::copyChars).isInstanceOf(IllegalStateException.class);
    assertThat(copy.copyChars()).isEqualTo("secret-words".toCharArray());
  }

  @Test
  void neverShowsTheCharactersInToString() {
    Passphrase p = Passphrase.of("secret-words");
    assertThat(p.toString()).doesNotContain("secret").isEqualTo("Passphrase[redacted]");
    assertThat(new KeyshareLocation(java.nio.file.Path.of("a.json"), p).toString())
        .isEqualTo("KeyshareLocation[a.json]");
  }

  @Test
  void aPassphraseIsNotDestroyedUntilClosed() {
    Passphrase p = Passphrase.of("still-alive");
    assertThat(p.isDestroyed()).isFalse();
    assertThat(p.length()).isEqualTo(11);
    p.destroy();
    assertThat(p.isDestroyed()).isTrue();
    assertThatThrownBy(p::length).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(p::copy).isInstanceOf(IllegalStateException.class);
  }
}
