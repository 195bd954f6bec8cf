package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KdfParameters;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The limits of the public settings, exactly at and just past each one. */
class PublicLimitsTest {

  private static List<KeyshareLocation> shares(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> new KeyshareLocation(
        Path.of("share-" + i + ".json"), Passphrase.of("passphrase-" + i))).toList();
  }

  @Test
  void theConcurrencyIsOneToTheMaximum() {
    DedicatedInitializer.Builder b = DedicatedInitializer.builder();

    assertThat(b.concurrency(1)).isSameAs(b);
    assertThat(b.concurrency(64)).isSameAs(b);
    assertThatThrownBy(() -> b.concurrency(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency must be 1 to 64, got 0");
    assertThatThrownBy(() -> b.concurrency(65)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKeyshareSetHasTwoTo255Files() {
    assertThat(MasterKeySource.existing(shares(2)).locations()).hasSize(2);
    assertThat(MasterKeySource.generate("mk1", 2, shares(255)).locations()).hasSize(255);
    assertThatThrownBy(() -> MasterKeySource.existing(shares(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1");
    assertThatThrownBy(() -> MasterKeySource.existing(shares(256)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 256");
  }

  @Test
  void aKeyshareFileNamedTwiceIsRefusedNamingBothPositions() {
    List<KeyshareLocation> twice = List.of(
        new KeyshareLocation(Path.of("a.json"), Passphrase.of("passphrase-a")),
        new KeyshareLocation(Path.of("b.json"), Passphrase.of("passphrase-b")),
        new KeyshareLocation(Path.of("./a.json"), Passphrase.of("passphrase-c")));

    assertThatThrownBy(() -> MasterKeySource.existing(twice))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name the same file twice (#1 and #3: ");
  }

  @Test
  void aRetryPolicyNeedsAtLeastOneAttemptAndAFirstRetry() {
    RetryPolicy once = new RetryPolicy(1, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1),
        0.5);

    assertThat(once.maxAttempts()).isEqualTo(1);
    assertThatThrownBy(() -> once.withMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(once.delayBeforeRetry(1, 0.0)).isPositive();
    assertThatThrownBy(() -> once.delayBeforeRetry(0, 0.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
  }

  @Test
  void noRetryAndNoJitterAreWhatTheySay() {
    RetryPolicy none = RetryPolicy.none();
    RetryPolicy jittered = new RetryPolicy(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1),
        0.5);

    assertThat(none.maxAttempts()).isEqualTo(1);
    assertThat(none.jitter()).isZero();
    assertThat(jittered.withoutJitter()).isEqualTo(new RetryPolicy(3, Duration.ofMillis(100), 2.0,
        Duration.ofSeconds(1), 0.0));
  }

  @Test
  void kdfCostOfChecksTheKeyshareFloorOutsideTests() {
    String saved = System.clearProperty(KdfCost.TEST_PROPERTY);
    try {
      assertThatThrownBy(() -> KdfCost.of(310_000, KdfParameters.argon2id(8, 1, 1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("floor");
    } finally {
      if (saved != null) {
        System.setProperty(KdfCost.TEST_PROPERTY, saved);
      }
    }
  }

  @Test
  void theLifecycleTableListsEveryStateWithWhatItStillNeeds() {
    String table = UnitLifecycle.markdownTable();

    assertThat(table).startsWith("| unit state | still to do |\n|---|---|\n");
    assertThat(table).contains("| `kms-initialized` | verify key check value |\n");
    assertThat(table).contains("`maintenance` | wait and retry later (bounded) |\n");
    assertThat(table).contains("unknown | stop with a clear error for that unit |\n");
  }
}
