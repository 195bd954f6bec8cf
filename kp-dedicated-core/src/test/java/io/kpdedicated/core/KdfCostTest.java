package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KdfParameters;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

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
}
