package io.kpdedicated.core;

import static io.kpdedicated.core.fakes.FakeCloud.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.kpdedicated.core.UnitOutcome.Status;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.fakes.Fixture;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A caller's Resilience4j configuration and registry are the ones a run really uses. */
class CustomRetryTest {
  private static final FakeSigner SIGNER = new FakeSigner();

  @TempDir
  Path dir;

  private Fixture claimedUnitFailingImports(int failures) {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.CLAIMED, UnitState.KMS_INITIALIZED);
    for (int i = 0; i < failures; i++) {
      f.cloud.fail(Operation.IMPORT_MASTER_KEY, "unit-1",
          status(Operation.IMPORT_MASTER_KEY, "unit-1", FailureKind.UNAVAILABLE, "busy"));
    }
    return f;
  }

  @Test
  void theCallersMaxAttemptsAndIntervalsAreUsed() {
    Fixture f = claimedUnitFailingImports(5);
    RetryConfig two = RetryConfig.custom().maxAttempts(2).waitDuration(Duration.ofMillis(70))
        .build();

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().retryConfig(two).build().run());

    UnitOutcome unit = e.result().unit("unit-1").orElseThrow();
    assertThat(unit.status()).isEqualTo(Status.FAILED);
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-1")).isEqualTo(2);
    assertThat(f.sleeper.sleeps()).containsExactly(Duration.ofMillis(70));
    assertThat(f.listener.of(InitializationEvent.Retrying.class))
        .singleElement().satisfies(r -> {
          assertThat(r.step()).isEqualTo(Step.IMPORT_MASTER_KEY);
          assertThat(r.delay()).isEqualTo(Duration.ofMillis(70));
        });
  }

  @Test
  void theLastOfRetryPolicyAndRetryConfigWins() {
    Fixture f = claimedUnitFailingImports(5);
    RetryConfig one = RetryConfig.custom().maxAttempts(1).build();

    catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().retryConfig(one).retryPolicy(Fixture.FAST_EXACT).build().run());

    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-1")).isEqualTo(4);
  }

  @Test
  void theCallersRegistryHoldsTheRetriesWithTheirMetricsAndEvents() {
    Fixture f = claimedUnitFailingImports(1);
    RetryRegistry registry = RetryRegistry.ofDefaults();
    List<String> retried = new CopyOnWriteArrayList<>();
    registry.getEventPublisher().onEntryAdded(added -> added.getAddedEntry().getEventPublisher()
        .onRetry(r -> retried.add(r.getName())));

    DedicatedInitializer init = f.builder().retryRegistry(registry).build();
    InitializationResult result = init.run();

    assertThat(result.succeeded()).isTrue();
    assertThat(init.retryRegistry()).isSameAs(registry);
    assertThat(retried).containsExactly("kp-dedicated-import-master-key");
    Retry imports = registry.retry("kp-dedicated-import-master-key");
    assertThat(imports.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
  }

  @Test
  void aRetryOnResultPredicateOfTheCallerIsApplied() throws Exception {
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    Fixture plain = Fixture.resumable(dir.resolve("a"), SIGNER, UnitState.KMS_INITIALIZED,
        UnitState.KMS_INITIALIZED);
    plain.builder().build().run();
    int listings = plain.cloud.calls(Operation.LIST_UNITS, null);
    Fixture f = Fixture.resumable(dir.resolve("b"), SIGNER, UnitState.KMS_INITIALIZED,
        UnitState.KMS_INITIALIZED);
    AtomicBoolean retriedOnce = new AtomicBoolean();
    // the first listing of units is answered as if it were not good enough: it is read again
    RetryConfig config = RetryConfig.custom().maxAttempts(3)
        .retryOnResult(r -> r instanceof List && retriedOnce.compareAndSet(false, true))
        .build();

    InitializationResult result = f.builder().retryConfig(config).build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(retriedOnce).isTrue();
    assertThat(f.cloud.calls(Operation.LIST_UNITS, null)).isEqualTo(listings + 1);
  }

  @Test
  void withoutARegistryEachInitializerHasItsOwn() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED);

    DedicatedInitializer a = f.builder().build();
    DedicatedInitializer b = f.builder().build();

    assertThat(a.retryRegistry()).isNotNull().isNotSameAs(b.retryRegistry());
  }
}
