package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KdfParameters;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The floor of the key-file protection cost, exactly at and just below each limit. */
class KdfCostFloorTest {

  /** Runs {@code body} as outside the project's tests: without the test property. */
  private static <T> T outsideTests(Supplier<T> body) {
    String saved = System.clearProperty(KdfCost.TEST_PROPERTY);
    try {
      return body.get();
    } finally {
      if (saved != null) {
        System.setProperty(KdfCost.TEST_PROPERTY, saved);
      }
    }
  }

  @Test
  void theIterationFloorIsInclusive() {
    KdfCost at = outsideTests(() -> KdfCost.of(KdfCost.MIN_PBKDF2_ITERATIONS,
        KdfParameters.owaspArgon2id()));

    assertThat(at.pbkdf2Iterations()).isEqualTo(310_000);
    assertThat(at.keyshareKdf()).isEqualTo(KdfParameters.owaspArgon2id());
    assertThat(at.isTestOnly()).isFalse();
    assertThatThrownBy(() -> outsideTests(() -> KdfCost.defaults().withPbkdf2Iterations(
        KdfCost.MIN_PBKDF2_ITERATIONS - 1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 309999");
  }

  @Test
  void theArgon2AndScryptFloorsAreInclusive() {
    // 35,840 KiB x 1 pass and 17,920 KiB x 2 passes are at the floor; one KiB less is not
    assertThat(outsideTests(() -> KdfCost.defaults()
        .withKeyshareKdf(KdfParameters.argon2id(17_920, 2, 1))).keyshareKdf())
        .isEqualTo(KdfParameters.argon2id(17_920, 2, 1));
    assertThatThrownBy(() -> outsideTests(() -> KdfCost.defaults()
        .withKeyshareKdf(KdfParameters.argon2id(17_919, 2, 1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(outsideTests(() -> KdfCost.defaults()
        .withKeyshareKdf(KdfParameters.scrypt(1 << 16, 8, 1)))).isNotNull();
    assertThatThrownBy(() -> outsideTests(() -> KdfCost.defaults()
        .withKeyshareKdf(KdfParameters.scrypt(1 << 15, 8, 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2^19");
    assertThat(outsideTests(() -> KdfCost.defaults()
        .withKeyshareKdf(KdfParameters.scrypt(1 << 15, 8, 2)))).isNotNull();
  }

  @Test
  void insideTestsCostsDownToTheCryptoModulesMinimumAreAccepted() {
    KdfCost cheap = KdfCost.forTestsOnly().withPbkdf2Iterations(10_000)
        .withKeyshareKdf(KdfParameters.argon2id(8, 1, 1));

    assertThat(cheap.pbkdf2Iterations()).isEqualTo(10_000);
    assertThat(cheap.isTestOnly()).isTrue();
    assertThat(KdfCost.of(10_000, KdfParameters.argon2id(8, 1, 1)).isTestOnly()).isFalse();
    assertThatThrownBy(() -> KdfCost.forTestsOnly().withPbkdf2Iterations(9_999))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTextSaysTheCostAndWhetherItIsForTestsOnly() {
    assertThat(KdfCost.forTestsOnly().toString()).startsWith("KdfCost[pbkdf2=10000, keyshares=")
        .endsWith(", tests only]");
    assertThat(KdfCost.defaults().toString()).startsWith("KdfCost[pbkdf2=600000, keyshares=")
        .doesNotContain("tests only");
  }

  @Test
  void aMissingKdfIsRefused() {
    assertThatThrownBy(() -> KdfCost.checkFloor(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("keyshareKdf");
  }
}
