package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KdfParameters;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cost of protecting key files: the defaults, the test-only cost, and the floor at and just
 * below each limit.
 */
class KdfCostTest {

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
  void theDefaultsAreTheProductionCost() {
    assertThat(KdfCost.defaults().pbkdf2Iterations()).isEqualTo(600_000);
    assertThat(KdfCost.defaults().keyshareKdf()).isEqualTo(KdfParameters.owaspArgon2id());
    assertThat(KdfCost.defaults().isTestOnly()).isFalse();
  }

  @Test
  void theTestCostIsRefusedOutsideTestsAndSaysHowToAllowIt() {
    assertThatThrownBy(() -> outsideTests(KdfCost::forTestsOnly))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(KdfCost.TEST_PROPERTY);
  }

  @Test
  void costsBelowTheFloorAreRefusedOutsideTests() {
    assertThatThrownBy(() -> outsideTests(() -> KdfCost.of(100_000,
        KdfParameters.owaspArgon2id()))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("310000");
    assertThatThrownBy(() -> outsideTests(() -> KdfCost.defaults()
        .withKeyshareKdf(KdfParameters.argon2id(8, 1, 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("floor");
    assertThat(outsideTests(() -> KdfCost.of(310_000, KdfParameters.scrypt(1 << 16, 8, 1))))
        .isNotNull();
  }

  @Test
  void aBuilderWithCheapKeyshareOptionsIsRefusedOutsideTests() {
    DedicatedInitializer.Builder b = DedicatedInitializer.builder()
        .transport(io.kpdedicated.core.fakes.FakeCloud.withActiveInstance())
        .instance(InstanceSelector.existing("x"))
        .adminIdentity(AdminIdentitySource.of(new io.kpdedicated.core.fakes.FakeSigner()))
        .masterKey(MasterKeySource.existing(java.util.List.of(
            new io.kpdedicated.crypto.KeyshareLocation(java.nio.file.Path.of("a"),
                io.kpdedicated.crypto.Passphrase.of("passphrase-a")),
            new io.kpdedicated.crypto.KeyshareLocation(java.nio.file.Path.of("b"),
                io.kpdedicated.crypto.Passphrase.of("passphrase-b")))))
        .keyshareWriteOptions(io.kpdedicated.crypto.KeyshareWriteOptions.builder()
            .kdf(KdfParameters.argon2id(8, 1, 1)).build());
    assertThatThrownBy(() -> outsideTests(b::build)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("floor");
    assertThat(b.build()).isNotNull(); // inside tests
  }

  @Test
  void theTestCostIsTheCryptoModulesCheapestInsideTests() {
    KdfCost cost = KdfCost.forTestsOnly();
    assertThat(cost.isTestOnly()).isTrue();
    assertThat(cost.pbkdf2Iterations()).isEqualTo(10_000);
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
