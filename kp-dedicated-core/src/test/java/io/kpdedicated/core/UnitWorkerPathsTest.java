package io.kpdedicated.core;

import static io.kpdedicated.core.fakes.FakeCloud.drop;
import static io.kpdedicated.core.fakes.FakeCloud.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.UnitOutcome.Status;
import io.kpdedicated.core.fakes.FakeCloud;
import io.kpdedicated.core.fakes.FakeCloud.FaultMode;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.fakes.Fixture;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.crypto.KeyCheckValue;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paths a unit worker takes when a step is refused, the unit changes under it or a re-read
 * fails: each ends in an outcome that says what happened, with the events to match.
 */
class UnitWorkerPathsTest {
  private static final FakeSigner SIGNER = new FakeSigner();

  @TempDir
  Path dir;

  /** Records events into the fixture's listener and runs {@code hook} on each, in the worker. */
  private static InitializationListener hooked(Fixture f, Consumer<InitializationEvent> hook) {
    return e -> {
      f.listener.onEvent(e);
      hook.accept(e);
    };
  }

  private static UnitOutcome failedUnit(Fixture f, DedicatedInitializer init, String id) {
    PartialFailureException e = catchThrowableOfType(PartialFailureException.class, init::run);
    assertThat(e).as("the run fails").isNotNull();
    return e.result().unit(id).orElseThrow();
  }

  @Test
  void aRefusedClaimOnAUnitStillUnclaimedFailsTheUnitWithTheRefusal() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED), SIGNER);
    ServiceException refused = status(Operation.CLAIM, "unit-1", FailureKind.INVALID_REQUEST,
        "bad key");
    f.cloud.fail(Operation.CLAIM, "unit-1", refused);

    UnitOutcome unit = failedUnit(f, f.builder().build(), "unit-1");

    assertThat(unit.status()).isEqualTo(Status.FAILED);
    assertThat(unit.failure()).isSameAs(refused);
    assertThat(unit.steps()).isEmpty();
    assertThat(unit.finalState()).isEqualTo(UnitState.RESERVED);
    assertThat(f.cloud.calls(Operation.OPEN_SESSION, "unit-1")).isZero();
    assertThat(f.listener.of(InitializationEvent.StepFailed.class))
        .singleElement().satisfies(e -> {
          assertThat(e.step()).isEqualTo(Step.CLAIM);
          assertThat(e.unitId()).isEqualTo("unit-1");
        });
    assertThat(f.listener.of(InitializationEvent.StepSkipped.class))
        .noneMatch(e -> e.step() == Step.CLAIM);
    assertThat(f.listener.of(InitializationEvent.UnitFailed.class))
        .extracting(InitializationEvent.UnitFailed::unitId).contains("unit-1");
    assertThat(f.listener.of(InitializationEvent.UnitFinished.class)).isEmpty();
  }

  @Test
  void aRefusedClaimWhoseReReadFailsTooKeepsTheRefusalWithTheReReadFailureSuppressed() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED), SIGNER);
    ServiceException refused = status(Operation.CLAIM, "unit-1", FailureKind.INVALID_REQUEST,
        "bad key");
    f.cloud.fail(Operation.CLAIM, "unit-1", refused);
    DedicatedInitializer init = f.builder().concurrency(1).listener(hooked(f, e -> {
      if (e instanceof InitializationEvent.StepStarted s && s.step() == Step.CLAIM) {
        for (int i = 0; i < 4; i++) { // every attempt of the re-read
          f.cloud.fail(Operation.LIST_UNITS, null, drop(Operation.LIST_UNITS, null));
        }
      }
    })).build();

    UnitOutcome unit = failedUnit(f, init, "unit-1");

    assertThat(unit.failure()).isSameAs(refused);
    assertThat(refused.getSuppressed()).singleElement()
        .isInstanceOf(TransportException.class);
  }

  @Test
  void aCryptoUserRefusedAsExistingThatIsNotListedFailsTheUnit() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.INITIALIZED, UnitState.KMS_INITIALIZED);
    ServiceException exists = status(Operation.ADD_USER, "unit-1", FailureKind.ALREADY_EXISTS,
        "user exists");
    f.cloud.fail(Operation.ADD_USER, "unit-1", exists);

    UnitOutcome unit = failedUnit(f, f.builder().build(), "unit-1");

    assertThat(unit.status()).isEqualTo(Status.FAILED);
    assertThat(unit.failure()).isSameAs(exists);
    assertThat(unit.steps()).containsExactly(Step.VERIFY);
    assertThat(f.cloud.unit("unit-1").users).isEmpty();
    assertThat(f.cloud.calls(Operation.LIST_USERS, "unit-1")).isEqualTo(2);
  }

  @Test
  void aCryptoUserRefusedAsExistingThatIsListedAfterwardsCountsAsThere() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.INITIALIZED, UnitState.KMS_INITIALIZED);
    f.cloud.fail(Operation.ADD_USER, "unit-1", FaultMode.AFTER,
        status(Operation.ADD_USER, "unit-1", FailureKind.ALREADY_EXISTS, "user exists"));

    InitializationResult result = f.builder().build().run();

    UnitOutcome unit = result.unit("unit-1").orElseThrow();
    assertThat(unit.status()).isEqualTo(Status.ALREADY_DONE);
    assertThat(unit.steps()).containsExactly(Step.VERIFY);
    assertThat(unit.finalState()).isEqualTo(UnitState.KMS_INITIALIZED);
    assertThat(f.cloud.calls(Operation.ADD_USER, "unit-1")).isEqualTo(1);
    assertThat(f.listener.of(InitializationEvent.StepSkipped.class)).anySatisfy(e -> {
      assertThat(e.step()).isEqualTo(Step.ADD_CRYPTO_USER);
      assertThat(e.unitId()).isEqualTo("unit-1");
      assertThat(e.reason()).isEqualTo("the crypto user 'kmsCryptoUser' exists already");
    });
  }

  @Test
  void addingOnlyTheCryptoUserCountsAsAChangeAndSaysWhichUserAndGroup() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.INITIALIZED,
        UnitState.KMS_INITIALIZED);

    InitializationResult result = f.builder().build().run();

    UnitOutcome unit = result.unit("unit-1").orElseThrow();
    assertThat(unit.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(unit.steps()).containsExactly(Step.VERIFY, Step.ADD_CRYPTO_USER);
    assertThat(unit.initialState()).isEqualTo(UnitState.INITIALIZED);
    assertThat(unit.finalState()).isEqualTo(UnitState.KMS_INITIALIZED);
    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class)).anySatisfy(e -> {
      assertThat(e.step()).isEqualTo(Step.ADD_CRYPTO_USER);
      assertThat(e.detail()).isEqualTo("added the crypto user 'kmsCryptoUser' (SLOT_0007)");
    });
  }

  @Test
  void aUnitThatFailsAfterItsImportReportsTheStateTheImportLeftItIn() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED), SIGNER);
    f.cloud.fail(Operation.ADD_USER, "unit-1",
        status(Operation.ADD_USER, "unit-1", FailureKind.INVALID_REQUEST, "bad request"));

    UnitOutcome unit = failedUnit(f, f.builder().build(), "unit-1");

    assertThat(unit.steps()).containsExactly(Step.CLAIM, Step.IMPORT_MASTER_KEY);
    assertThat(unit.initialState()).isEqualTo(UnitState.RESERVED);
    assertThat(unit.finalState()).isEqualTo(UnitState.INITIALIZED);
    assertThat(unit.checkValue()).isNotNull();
    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class)).anySatisfy(e -> {
      assertThat(e.step()).isEqualTo(Step.IMPORT_MASTER_KEY);
      assertThat(e.detail()).startsWith("imported master key 'mk1', check value ");
    });
    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class)).anySatisfy(e -> {
      assertThat(e.step()).isEqualTo(Step.CLAIM);
      assertThat(e.detail()).isEqualTo("claimed with the administrator key");
    });
  }

  @Test
  void aUnitThatHoldsNoKeyAlthoughItsStateSaysSoIsAMismatchWithoutAnActualValue() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED,
        UnitState.KMS_INITIALIZED);
    f.cloud.unit("unit-1").keys.clear();

    UnitOutcome unit = failedUnit(f, f.builder().build(), "unit-1");

    assertThat(unit.status()).isEqualTo(Status.MISMATCH);
    assertThat(unit.failure()).isInstanceOfSatisfying(KeyMismatchException.class,
        m -> assertThat(m.actual()).isEmpty());
    assertThat(unit.steps()).isEmpty();
  }

  @Test
  void aUnitThatEndsInAnotherStateThanKmsInitializedFailsAndIsWorthAnotherRun() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED,
        UnitState.KMS_INITIALIZED);
    DedicatedInitializer init = f.builder().concurrency(1).listener(hooked(f, e -> {
      if (e instanceof InitializationEvent.StepSucceeded s && s.step() == Step.VERIFY
          && "unit-1".equals(s.unitId())) {
        f.cloud.unit("unit-1").state = UnitState.KMS_AUTHORIZED; // changed behind our back
      }
    })).build();

    UnitOutcome unit = failedUnit(f, init, "unit-1");

    assertThat(unit.status()).isEqualTo(Status.FAILED);
    assertThat(unit.failure()).isInstanceOf(InitializationException.class)
        .hasMessageContaining("ended in state 'kms-authorized' instead of 'kms-initialized'");
    assertThat(unit.failure().retryable()).isTrue();
    assertThat(unit.finalState()).isEqualTo(UnitState.KMS_AUTHORIZED);
  }

  @Test
  void aUnitFoundInMaintenanceAfterItsStepsIsWaitedForAndDecidedAgain() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED,
        UnitState.KMS_INITIALIZED);
    boolean[] once = {true};
    DedicatedInitializer init = f.builder().concurrency(1).listener(hooked(f, e -> {
      if (once[0] && e instanceof InitializationEvent.StepSucceeded s
          && s.step() == Step.VERIFY && "unit-1".equals(s.unitId())) {
        once[0] = false;
        f.cloud.maintenance("unit-1", 2);
      }
    })).build();

    InitializationResult result = init.run();

    UnitOutcome unit = result.unit("unit-1").orElseThrow();
    assertThat(unit.status()).isEqualTo(Status.ALREADY_DONE);
    assertThat(unit.steps()).containsExactly(Step.VERIFY, Step.WAIT_MAINTENANCE, Step.VERIFY);
    assertThat(unit.finalState()).isEqualTo(UnitState.KMS_INITIALIZED);
    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class)).anySatisfy(e -> {
      assertThat(e.step()).isEqualTo(Step.WAIT_MAINTENANCE);
      assertThat(e.detail()).isEqualTo("the unit left maintenance, now 'kms-initialized'");
    });
  }

  @Test
  void aUnitInAStateThatCannotBeInitializedFailsNamingTheState() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.MARKED_FOR_DEL,
        UnitState.KMS_INITIALIZED);

    UnitOutcome unit = failedUnit(f, f.builder().build(), "unit-1");

    assertThat(unit.failure()).isInstanceOf(InitializationException.class)
        .hasMessage("crypto unit unit-1 is in state 'marked-for-del' and cannot be"
            + " initialized");
    assertThat(unit.failure().retryable()).isFalse();
    assertThat(unit.failure().remediation()).get().asString().contains("marked for deletion");
  }

  @Test
  void aUnitThatKeepsGoingIntoMaintenanceIsGivenUpAfterEightRounds() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED,
        UnitState.KMS_INITIALIZED);
    DedicatedInitializer init = f.builder().concurrency(1).listener(hooked(f, e -> {
      if (e instanceof InitializationEvent.StepSucceeded s && s.step() == Step.VERIFY
          && "unit-1".equals(s.unitId())) {
        f.cloud.maintenance("unit-1", 1); // the re-list after the steps sees maintenance
      }
    })).build();

    UnitOutcome unit = failedUnit(f, init, "unit-1");

    assertThat(unit.failure()).isInstanceOf(InitializationException.class)
        .hasMessageContaining("crypto unit unit-1 kept changing state while it was being"
            + " initialized");
    assertThat(unit.failure().retryable()).isTrue();
    assertThat(unit.steps()).filteredOn(s -> s == Step.VERIFY).hasSize(4);
    assertThat(unit.steps()).filteredOn(s -> s == Step.WAIT_MAINTENANCE).hasSize(4);
  }

  @Test
  void aClaimRefusedBecauseTheUnitIsClaimedAlreadyIsSkippedSayingSo() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED), SIGNER);
    f.cloud.fail(Operation.CLAIM, "unit-2", FaultMode.AFTER, drop(Operation.CLAIM, "unit-2"));

    f.builder().build().run();

    assertThat(f.listener.of(InitializationEvent.StepSkipped.class)).anySatisfy(e -> {
      assertThat(e.step()).isEqualTo(Step.CLAIM);
      assertThat(e.unitId()).isEqualTo("unit-2");
      assertThat(e.reason()).startsWith("the unit is claimed already (state 'claimed')");
    });
  }

  @Test
  void aForeignKeyInAUnitThatShouldHoldNoneFailsTheLoadAndIsNeverOverwritten() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.CLAIMED, UnitState.KMS_INITIALIZED);
    f.cloud.holdsKey("unit-1", "other", new KeyCheckValue("0123456789"));

    UnitOutcome unit = failedUnit(f, f.builder().build(), "unit-1");

    assertThat(unit.status()).isEqualTo(Status.MISMATCH);
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-1")).isZero();
    assertThat(f.listener.of(InitializationEvent.StepFailed.class))
        .filteredOn(e -> "unit-1".equals(e.unitId()))
        .extracting(InitializationEvent.StepFailed::step)
        .containsExactly(Step.IMPORT_MASTER_KEY);
  }

  @Test
  void aCryptoUserAlreadyListedIsNotAddedAgainNorCountedAsAdded() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.INITIALIZED, UnitState.KMS_INITIALIZED);
    f.cloud.hasCryptoUser("unit-1"); // the unit's state lags behind its users

    UnitOutcome unit = failedUnit(f, f.builder().build(), "unit-1");

    assertThat(unit.steps()).containsExactly(Step.VERIFY);
    assertThat(unit.failure()).hasMessageContaining("ended in state 'initialized'");
    assertThat(f.cloud.calls(Operation.ADD_USER, "unit-1")).isZero();
    assertThat(f.listener.of(InitializationEvent.StepSkipped.class))
        .anyMatch(e -> e.step() == Step.ADD_CRYPTO_USER && "unit-1".equals(e.unitId()));
  }

  @Test
  void anotherUserOnTheUnitIsNotMistakenForTheCryptoUser() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.INITIALIZED, UnitState.KMS_INITIALIZED);
    f.cloud.unit("unit-1").users.add(new CryptoUser("auditor", UserType.OTHER, Map.of()));

    InitializationResult result = f.builder().build().run();

    assertThat(result.unit("unit-1").orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
    assertThat(f.cloud.unit("unit-1").users).extracting(CryptoUser::name)
        .containsExactly("auditor", "kmsCryptoUser");
  }

  @Test
  void aSessionWhoseCallWasCutOffIsClosedAndAFreshOneOpened() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_AUTHORIZED,
        UnitState.KMS_INITIALIZED);
    f.cloud.fail(Operation.LIST_MASTER_KEYS, "unit-1", drop(Operation.LIST_MASTER_KEYS, "unit-1"));

    InitializationResult result = f.builder().build().run();

    assertThat(result.succeeded()).isTrue();
    // the survey's session, the session that was cut off (closed), the one that finished the unit
    assertThat(f.cloud.calls(Operation.OPEN_SESSION, "unit-1")).isEqualTo(3);
    assertThat(f.cloud.sessionsClosed()).isEqualTo(f.cloud.sessionsOpened());
  }
}
