package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class KeyshareWriteOptionsTest {

  @Test
  void aCopyKeepsEverySettingAndToStringShowsTheKdfAndOverwrite() {
    SecureRandom random = TestSupport.seeded(1);
    KeyshareWriteOptions options =
        KeyshareWriteOptions.builder()
            .kdf(TestSupport.CHEAP_SCRYPT)
            .overwrite(true)
            .random(random)
            .clock(TestSupport.FIXED_CLOCK)
            .build();
    KeyshareWriteOptions copy = options.toBuilder().build();

    assertThat(copy.kdf()).isEqualTo(TestSupport.CHEAP_SCRYPT);
    assertThat(copy.overwrite()).isTrue();
    assertThat(copy.random()).isSameAs(random);
    assertThat(copy.clock()).isSameAs(TestSupport.FIXED_CLOCK);
    assertThat(options.toString())
        .isEqualTo("KeyshareWriteOptions[kdf=" + TestSupport.CHEAP_SCRYPT + ", overwrite=true]");
  }

  @Test
  void settersRejectNull() {
    KeyshareWriteOptions.Builder builder = KeyshareWriteOptions.builder();
    assertThatThrownBy(() -> builder.kdf(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.random(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class);
  }
}
