package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyshareHeaderTest {
  private static final KeyCheckValue KCV = new KeyCheckValue("0123456789");

  private static KeyshareHeader header(int index, int minimum, int count) {
    return new KeyshareHeader(
        Path.of("share.json"),
        1,
        index,
        minimum,
        count,
        "0123456789abcdef0123456789abcdef",
        "mk",
        KCV,
        Instant.parse("2025-01-02T03:04:05Z"),
        TestSupport.CHEAP_ARGON2);
  }

  @Test
  void acceptsEveryIndexFromOneToNAndEveryKFromTwoToNUpTo255() {
    assertThat(header(1, 2, 2).shareIndex()).isEqualTo(1);
    assertThat(header(2, 2, 2).shareIndex()).isEqualTo(2);
    assertThat(header(255, 255, 255).count()).isEqualTo(255);
    assertThat(header(1, 2, 255).minimum()).isEqualTo(2);
  }

  @Test
  void refusesKOrNOrAnIndexOutOfRange() {
    assertThatThrownBy(() -> header(1, 1, 2)).hasMessageContaining("K=1, N=2");
    assertThatThrownBy(() -> header(1, 3, 2)).hasMessageContaining("K=3, N=2");
    assertThatThrownBy(() -> header(1, 2, 256)).hasMessageContaining("K=2, N=256");
    assertThatThrownBy(() -> header(0, 2, 2)).hasMessageContaining("1 to 2, not 0");
    assertThatThrownBy(() -> header(3, 2, 2)).hasMessageContaining("1 to 2, not 3");
  }
}
