package io.kpdedicated.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Redactor}: what is removed from server text, from which length on, and how long it may be. */
class RedactorTest {

  @Test
  void nothingStaysNothing() {
    assertThat(Redactor.clean(null, "secret", "other".toCharArray())).isNull();
  }

  @Test
  void redactsASecretOfFourCharactersOrMoreButNotShorterOnes() {
    assertThat(Redactor.clean("a wxyz b", "wxyz")).isEqualTo("a [redacted] b");
    assertThat(Redactor.clean("a xyz b", "xyz")).isEqualTo("a xyz b");
    assertThat(Redactor.clean("a wxyz b", null, "wxyz".toCharArray())).isEqualTo("a [redacted] b");
    assertThat(Redactor.clean("a xyz b", null, "xyz".toCharArray())).isEqualTo("a xyz b");
  }

  @Test
  void redactsEveryOccurrenceOfACharSecret() {
    assertThat(Redactor.clean("k1-key k1-key!", null, "k1-key".toCharArray()))
        .isEqualTo("[redacted] [redacted]!");
  }

  @Test
  void aTextEndingInTheStartOfTheSecretIsKept() {
    assertThat(Redactor.clean("the key was abcdefg, not abcd", null, "abcdefg".toCharArray()))
        .isEqualTo("the key was [redacted], not abcd");
    assertThat(Redactor.clean("ab", null, "abcd".toCharArray())).isEqualTo("ab");
  }

  @Test
  void redactsBearerTokensAndJwtsWhateverTheCase() {
    assertThat(Redactor.clean("header BEARER abc.DEF_ghi~1 seen", null)).isEqualTo("header Bearer [redacted] seen");
    assertThat(Redactor.clean("x eyJhbGci.eyJzdWIi.c2ln y", null)).isEqualTo("x [redacted] y");
  }

  @Test
  void joinsLinesAndStripsTheEnds() {
    assertThat(Redactor.clean("  one\r\n\ttwo\nthree  ", null)).isEqualTo("one two three");
  }

  @Test
  void keepsUpTo300CharactersAndMarksACut() {
    String exactly = "x".repeat(300);

    assertThat(Redactor.clean(exactly, null)).isEqualTo(exactly);
    assertThat(Redactor.clean(exactly + "y", null)).isEqualTo(exactly + "...");
  }
}
