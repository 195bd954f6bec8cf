package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.internal.Hex;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

  @Test
  void generatesThirtyTwoBytesFromTheGivenRandomWithTheirCheckValue() {
    byte[] expected = new byte[32];
    TestSupport.seeded(7).nextBytes(expected);

    try (MasterKey key = MasterKey.generate("mk1", TestSupport.seeded(7))) {
      assertThat(key.copyKeyBytes()).isEqualTo(expected);
      assertThat(key.name()).isEqualTo("mk1");
      assertThat(key.checkValue()).isEqualTo(KeyCheckValue.of(expected));
    }
  }

  @Test
  void copiesTheBytesItIsGivenSoTheCallerMayWipeThem() {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) 0x42);
    MasterKey key = MasterKey.of("k", bytes);
    Arrays.fill(bytes, (byte) 0);

    byte[] copy = key.copyKeyBytes();
    assertThat(copy).containsOnly((byte) 0x42);
    copy[0] = 1;
    assertThat(key.copyKeyBytes()[0]).isEqualTo((byte) 0x42);
  }

  @Test
  void closingWipesTheKeyButKeepsThePublicFacts() {
    MasterKey key = MasterKey.generate("mk", TestSupport.seeded(1));
    KeyCheckValue kcv = key.checkValue();
    key.close();

    assertThat(key.isDestroyed()).isTrue();
    assertThatThrownBy(key::copyKeyBytes).isInstanceOf(IllegalStateException.class);
    assertThat(key.checkValue()).isEqualTo(kcv);
    key.close(); // idempotent
  }

  @Test
  void toStringShowsNameAndCheckValueButNoKeyBytes() {
    MasterKey key = MasterKey.generate("mk", TestSupport.seeded(3));
    String bytesHex = Hex.upper(key.copyKeyBytes());

    assertThat(key.toString())
        .contains("mk")
        .contains(key.checkValue().hex())
        .doesNotContain(bytesHex)
        .doesNotContainIgnoringCase(bytesHex.substring(0, 16));
  }

  @Test
  void acceptsNamesOfOneToEightCharactersOnly() {
    assertThat(MasterKey.of("a", new byte[32]).name()).isEqualTo("a");
    assertThat(MasterKey.of("12345678", new byte[32]).name()).isEqualTo("12345678");
    assertThatThrownBy(() -> MasterKey.of("", new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MasterKey.of("123456789", new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 8");
    assertThatThrownBy(() -> MasterKey.of("a\nb", new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MasterKey.of(null, new byte[32]))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void rejectsKeysThatAreNotThirtyTwoBytes() {
    assertThatThrownBy(() -> MasterKey.of("k", new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32");
  }

  @Test
  void checkingANameReturnsTheNameItself() {
    assertThat(MasterKey.checkName("mk-01")).isEqualTo("mk-01");
  }

  @Test
  void aKeyIsNotDestroyedUntilClosed() {
    MasterKey key = MasterKey.generate("mk", TestSupport.seeded(4));
    assertThat(key.isDestroyed()).isFalse();
    key.close();
    assertThat(key.isDestroyed()).isTrue();
  }
}
