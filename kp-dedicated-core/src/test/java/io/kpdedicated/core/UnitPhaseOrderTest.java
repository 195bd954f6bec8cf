package io.kpdedicated.core;

import static io.kpdedicated.core.fakes.FakeCloud.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.UnitOutcome.Status;
import io.kpdedicated.core.fakes.FakeCloud;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.fakes.Fixture;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.KeyCheckValue;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order in which the units of one run are worked on: the first unit to take the key of an
 * empty instance alone, the others on a bounded pool of named daemon threads, and nothing loaded
 * after the first unit failed.
 */
class UnitPhaseOrderTest {
  private static final FakeSigner SIGNER = new FakeSigner();

  @TempDir
  Path dir;

  private static InstanceSelector units(int count) {
    return InstanceSelector.createOrReuse(new InstanceRequest("kpd-test",
        InstanceRequest.DEFAULT_REGION, null, count));
  }

  /** Remembers, per unit, the thread its steps ran on. */
  private static InitializationListener threads(Fixture f, Map<String, Thread> seen) {
    return e -> {
      f.listener.onEvent(e);
      if (e instanceof InitializationEvent.StepStarted s && s.unitId() != null) {
        seen.putIfAbsent(s.unitId(), Thread.currentThread());
      }
    };
  }

  @Test
  void afterTheFirstUnitFailsNoUnitThatMayTakeAKeyIsStartedButTheOthersAreWorkedOn() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.RESERVED,
        UnitState.MAINTENANCE, UnitState.MARKED_FOR_DEL);
    f.cloud.unit("unit-1").keys.clear();
    f.cloud.fail(Operation.CLAIM, "unit-1",
        status(Operation.CLAIM, "unit-1", FailureKind.INVALID_REQUEST, "bad key"));

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().instance(units(3)).build().run());

    UnitOutcome first = e.result().unit("unit-1").orElseThrow();
    assertThat(first.failure()).hasMessage("bad key");
    for (String id : new String[] {"unit-2"}) {
      UnitOutcome stopped = e.result().unit(id).orElseThrow();
      assertThat(stopped.status()).isEqualTo(Status.FAILED);
      assertThat(stopped.steps()).isEmpty();
      assertThat(stopped.failure()).isInstanceOf(InitializationException.class)
          .hasMessage("not started: crypto unit unit-1, the first to take the instance's master"
              + " key, failed (bad key); no other unit gets a key in this run")
          .hasCause(first.failure());
      assertThat(stopped.failure().retryable()).isFalse();
      assertThat(stopped.failure().remediation()).contains("Fix what stopped unit unit-1 (see"
          + " its failure), then run again.");
      assertThat(f.cloud.calls(Operation.CLAIM, id)).isZero();
    }
    assertThat(e.result().unit("unit-3").orElseThrow().failure())
        .hasMessageContaining("is in state 'marked-for-del'");
    assertThat(e.result().units()).extracting(UnitOutcome::unitId)
        .containsExactly("unit-1", "unit-2", "unit-3");
    assertThat(f.listener.of(InitializationEvent.UnitFailed.class))
        .extracting(InitializationEvent.UnitFailed::unitId)
        .containsExactlyInAnyOrder("unit-1", "unit-2", "unit-3");
  }

  @Test
  void theStopIsWorthARetryWhenTheFirstUnitsFailureIs() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED), SIGNER);
    for (int i = 0; i < 4; i++) {
      f.cloud.fail(Operation.CLAIM, "unit-1",
          status(Operation.CLAIM, "unit-1", FailureKind.UNAVAILABLE, "busy"));
    }

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().build().run());

    assertThat(e.result().unit("unit-1").orElseThrow().failure().retryable()).isTrue();
    assertThat(e.result().unit("unit-2").orElseThrow().failure().retryable()).isTrue();
  }

  @Test
  void theFirstUnitOfAnEmptyInstanceRunsOnTheCallersThreadAndTheOthersOnNamedDaemons() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED, UnitState.RESERVED), SIGNER);
    Map<String, Thread> seen = new ConcurrentHashMap<>();

    f.builder().instance(units(3)).concurrency(4).listener(threads(f, seen)).build().run();

    assertThat(seen.get("unit-1")).isSameAs(Thread.currentThread());
    assertThat(Set.of(seen.get("unit-2"), seen.get("unit-3"))).hasSize(2).allSatisfy(t -> {
      assertThat(t.isDaemon()).isTrue();
      assertThat(t.getName()).matches("kp-dedicated-unit-[12]");
      t.join(TimeUnit.SECONDS.toMillis(30)); // the pool is shut down after the run
      assertThat(t.isAlive()).as("pool thread ended").isFalse();
    });
  }

  @Test
  void aConcurrencyOfOneWorksOnTheUnitsOneAfterTheOtherOnOneThread() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED,
        UnitState.KMS_INITIALIZED, UnitState.KMS_INITIALIZED);
    Map<String, Thread> seen = new ConcurrentHashMap<>();

    InitializationResult result = f.builder().instance(units(3)).concurrency(1)
        .listener(threads(f, seen)).build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(Set.copyOf(seen.values())).singleElement().satisfies(t -> {
      assertThat(t.getName()).isEqualTo("kp-dedicated-unit-1");
      assertThat(t).isNotSameAs(Thread.currentThread());
    });
    assertThat(f.listener.of(InitializationEvent.StepStarted.class))
        .filteredOn(e -> e.unitId() != null).extracting(InitializationEvent.StepStarted::unitId)
        .containsExactly("unit-1", "unit-2", "unit-3");
  }

  @Test
  void anInstanceThatHoldsTheKeyAlreadyNeedsNoFirstUnitAndIsNotReadAgainWithoutALoad()
      throws Exception {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED, UnitState.CLAIMED);
    Map<String, Thread> seen = new ConcurrentHashMap<>();

    InitializationResult result = f.builder().listener(threads(f, seen)).build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(seen.get("unit-2")).isNotSameAs(Thread.currentThread());
    assertThat(result.instanceSteps()).contains(Step.SURVEY_KEYS, Step.VERIFY_INSTANCE);

    java.nio.file.Files.createDirectories(dir.resolve("again"));
    Fixture g = Fixture.resumable(dir.resolve("again"), SIGNER, UnitState.KMS_INITIALIZED,
        UnitState.INITIALIZED);
    InitializationResult again = g.builder().build().run();
    assertThat(again.instanceSteps()).doesNotContain(Step.SURVEY_KEYS, Step.VERIFY_INSTANCE);
  }

  @Test
  void aSecondKeyThatAppearsDuringTheRunIsFoundWhenTheInstanceIsReadAgain() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.CLAIMED, UnitState.KMS_INITIALIZED);
    KeyCheckValue other = new KeyCheckValue("0123456789");
    CheckValue foreign = PortableHsmBackend.checkValueOf(other);
    DedicatedInitializer init = f.builder().listener(e -> {
      f.listener.onEvent(e);
      if (e instanceof InitializationEvent.StepStarted s && s.step() == Step.VERIFY_INSTANCE) {
        f.cloud.unit("unit-2").keys.clear();
        f.cloud.holdsKey("unit-2", "other", other);
      }
    }).build();

    Throwable thrown = catchThrowable(init::run);

    assertThat(thrown).isInstanceOfSatisfying(MasterKeyConflictException.class,
        c -> assertThat(c.unitKeys()).containsEntry("unit-2", foreign));
  }
}
