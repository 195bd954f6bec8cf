package io.kpdedicated.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CheckValueAndRequestLimitsTest {

  @Test
  void aCheckValueHasOneTo128PrintableCharactersWithoutBlanks() {
    assertThat(new CheckValue("!".repeat(128)).text()).hasSize(128);
    assertThat(new CheckValue("~")).hasToString("~");
    assertThatThrownBy(() -> new CheckValue("A".repeat(129)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 128");
    assertThatThrownBy(() -> new CheckValue("AB CD"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> new CheckValue("AB\u007f"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> new CheckValue("\u007fAB"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
  }

  @Test
  void anInstanceRequestNeedsAName() {
    assertThatThrownBy(() -> new InstanceRequest(" ", "us-south", null, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> new InstanceRequest(null, "us-south", null, 2))
        .isInstanceOf(NullPointerException.class).hasMessage("name");
  }
}
