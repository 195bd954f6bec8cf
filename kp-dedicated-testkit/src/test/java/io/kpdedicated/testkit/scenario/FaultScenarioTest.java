package io.kpdedicated.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.KeyMismatchException;
import io.kpdedicated.core.MasterKeyConflictException;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.testkit.CallStats;
import io.kpdedicated.testkit.FaultSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Faults injected into the in-memory cloud while the public initializer runs against it. */
class FaultScenarioTest {
  @TempDir Path dir;

  private static final Set<Operation> UNIT_OPERATIONS = EnumSet.of(Operation.CLAIM,
      Operation.OPEN_SESSION, Operation.LIST_MASTER_KEYS, Operation.IMPORT_MASTER_KEY,
      Operation.LIST_USERS, Operation.ADD_USER);

  enum Kind {
    SERVICE_UNAVAILABLE(spec -> spec.error(503, "SERVICE_UNAVAILABLE", "try again")),
    RATE_LIMITED(spec -> spec.error(429, "TOO_MANY_REQUESTS", "slow down", Duration.ofSeconds(7))),
    CONNECTION_DROP(FaultSpec::dropConnection);

    final Function<FaultSpec, ?> apply;

    Kind(Function<FaultSpec, ?> apply) {
      this.apply = apply;
    }
  }

  static Stream<Arguments> unitSteps() {
    return Stream.of(Operation.CLAIM, Operation.OPEN_SESSION, Operation.IMPORT_MASTER_KEY,
            Operation.ADD_USER, Operation.LIST_MASTER_KEYS)
        .flatMap(op -> Stream.of(Kind.values()).map(kind -> Arguments.of(op, kind)));
  }

  @ParameterizedTest(name = "{1} on {0} of unit 1")
  @MethodSource("unitSteps")
  void aFaultOnOneUnitInAStepIsRetriedAndTheRunSucceeds(Operation op, Kind kind) {
    Scenario s = new Scenario(dir, 3);
    kind.apply.apply(s.cloud.faults().on(op).unitIndex(1).times(2));

    InitializationResult result = s.initializer().build().run();

    s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), result);
    String unit = s.unitId(1);
    assertThat(s.cloud.faults().pending()).as("both faults were hit").isEmpty();
    assertThat(s.cloud.stats().calls(op, unit)).isGreaterThanOrEqualTo(3);
    assertEachUnitChangedOnce(s);
    assertThat(s.events(InitializationEvent.Retrying.class))
        .anySatisfy(r -> assertThat(r.unitId()).isEqualTo(unit));
    if (kind == Kind.RATE_LIMITED) {
      assertThat(s.clock.sleeps()).as("Retry-After honoured")
          .anySatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
    }
  }

  static Stream<Arguments> instanceSteps() {
    return Stream.of(Operation.FIND_INSTANCE, Operation.CREATE_INSTANCE, Operation.GET_INSTANCE,
            Operation.LIST_UNITS, Operation.CRYPTO_USER_METADATA)
        .flatMap(op -> Stream.of(Kind.values()).map(kind -> Arguments.of(op, kind)));
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("instanceSteps")
  void aFaultInAnInstanceStepIsRetriedAndTheRunSucceeds(Operation op, Kind kind) {
    Scenario s = new Scenario(dir, 2);
    kind.apply.apply(s.cloud.faults().on(op).times(2));

    InitializationResult result = s.initializer().build().run();

    s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), result);
    assertThat(s.cloud.faults().pending()).isEmpty();
    assertThat(s.cloud.stats().changes(Operation.CREATE_INSTANCE)).isEqualTo(1);
    assertEachUnitChangedOnce(s);
  }

  @Test
  void aFaultOutlastingTheRetryBudgetFailsOnlyThatUnitAndASecondRunFinishesIt() {
    Scenario s = new Scenario(dir, 3);
    RetryPolicy policy = RetryPolicy.defaults().withMaxAttempts(3);
    s.cloud.faults().on(Operation.IMPORT_MASTER_KEY).unitIndex(2).always()
        .error(503, "SERVICE_UNAVAILABLE", "still down");

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> s.initializer().retryPolicy(policy).build().run());

    String failing = s.unitId(2);
    UnitOutcome failed = e.result().unit(failing).orElseThrow();
    assertThat(failed.status()).isEqualTo(UnitOutcome.Status.FAILED);
    assertThat(failed.failure().retryable()).isTrue();
    assertThat(e.retryable()).isTrue();
    assertThat(s.cloud.stats().calls(Operation.IMPORT_MASTER_KEY, failing)).isEqualTo(3);
    assertThat(e.result().units()).filteredOn(u -> !u.unitId().equals(failing))
        .extracting(UnitOutcome::status).containsOnly(UnitOutcome.Status.SUCCEEDED);
    UnitState leftAt = s.instance().unit(2).state();
    assertThat(leftAt).isIn(UnitState.CLAIMED, UnitState.KMS_AUTHORIZED);
    var files = s.shareFiles();

    s.cloud.faults().clear();
    s.cloud.stats().reset();
    InitializationResult second = s.initializer().build().run();

    s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), second);
    CallStats stats = s.cloud.stats();
    assertThat(stats.changes(Operation.CREATE_INSTANCE)).isZero();
    assertThat(stats.changes(Operation.CLAIM)).isZero();
    assertThat(stats.changes(Operation.IMPORT_MASTER_KEY)).isEqualTo(1);
    assertThat(stats.changes(Operation.IMPORT_MASTER_KEY, failing)).isEqualTo(1);
    assertThat(stats.changes(Operation.ADD_USER))
        .isEqualTo(leftAt == UnitState.CLAIMED ? 1 : 0);
    assertThat(stats.calls(Operation.ADD_USER))
        .isEqualTo(leftAt == UnitState.CLAIMED ? 1 : 0);
    assertThat(second.unit(failing).orElseThrow().status())
        .isEqualTo(UnitOutcome.Status.SUCCEEDED);
    assertThat(s.shareFiles()).isEqualTo(files);
  }

  @Test
  void aUnitInMaintenanceForAWhileIsWaitedForAndFinished() {
    Scenario s = new Scenario(dir, 3);
    String guid = s.activeInstance();
    s.cloud.arrange(guid).unit(0).maintenanceFor(4);

    InitializationResult result = s.initializer().build().run();

    s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), result);
    assertEachUnitChangedOnce(s);
  }

  @Test
  void aUnitStuckInMaintenanceFailsRetryablyAfterTheBoundedWaitAndTheOthersFinish() {
    Scenario s = new Scenario(dir, 3);
    String guid = s.activeInstance();
    s.cloud.arrange(guid).unit(1).state(UnitState.MAINTENANCE);
    String stuck = s.unitId(1);

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> s.initializer().build().run());

    UnitOutcome outcome = e.result().unit(stuck).orElseThrow();
    assertThat(outcome.status()).isEqualTo(UnitOutcome.Status.FAILED);
    assertThat(outcome.failure().retryable()).isTrue();
    assertThat(s.clock.totalSlept()).isLessThan(Duration.ofMinutes(30));
    assertThat(s.instance().unit(0).state()).isEqualTo(UnitState.KMS_INITIALIZED);
    assertThat(s.instance().unit(2).state()).isEqualTo(UnitState.KMS_INITIALIZED);

    s.cloud.arrange(guid).unit(1).state(UnitState.RESERVED);
    s.cloud.stats().reset();
    InitializationResult second = s.initializer().build().run();
    s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), second);
    assertThat(s.cloud.stats().changes(Operation.CLAIM)).isEqualTo(1);
  }

  @Test
  void aUnitHoldingAnotherMasterKeyIsReportedAsMismatchAndNoUnitGetsASecondKey() {
    Scenario s = new Scenario(dir, 3);
    CheckValue kcv = s.writeShares();
    String guid = s.activeInstance();
    KeyCheckValue foreign = new KeyCheckValue("0123456789");
    s.cloud.arrange(guid).unit(1).claimedBy(Scenario.ADMIN.publicKey())
        .withMasterKey(Scenario.KEY_NAME, foreign);
    String odd = s.unitId(1);

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> s.resumingInitializer().build().run());

    UnitOutcome outcome = e.result().unit(odd).orElseThrow();
    assertThat(outcome.status()).isEqualTo(UnitOutcome.Status.MISMATCH);
    assertThat(outcome.failure()).isInstanceOf(KeyMismatchException.class);
    assertThat(((KeyMismatchException) outcome.failure()).actual())
        .hasValue(PortableHsmBackend.checkValueOf(foreign));
    assertThat(((KeyMismatchException) outcome.failure()).expected()).isEqualTo(kcv);
    assertThat(e.retryable()).isFalse();
    assertThat(s.instance().unit(1).checkValue())
        .hasValue(PortableHsmBackend.checkValueOf(foreign));
    assertThat(s.cloud.stats().calls(Operation.IMPORT_MASTER_KEY, odd)).isZero();
    assertThat(s.cloud.stats().changes(Operation.ADD_USER, odd)).isZero();
    // One instance, one master key: the other units are refused before anything is loaded.
    for (int i : new int[] {0, 2}) {
      UnitOutcome refused = e.result().unit(s.unitId(i)).orElseThrow();
      assertThat(refused.status()).isEqualTo(UnitOutcome.Status.FAILED);
      assertThat(refused.failure()).isInstanceOfSatisfying(MasterKeyConflictException.class,
          c -> assertThat(c.getMessage()).contains(odd, foreign.hex(), kcv.text()));
      assertThat(s.instance().unit(i).state()).isEqualTo(UnitState.RESERVED);
    }
    assertThat(s.cloud.stats().changes(Operation.CLAIM)).isZero();
    assertThat(s.cloud.stats().changes(Operation.IMPORT_MASTER_KEY)).isZero();
  }

  @Test
  void aClaimWhoseAnswerWasLostIsNotFailedByTheSecondClaim() {
    Scenario s = new Scenario(dir, 2);
    s.cloud.faults().on(Operation.CLAIM).unitIndex(0).loseResponse();

    InitializationResult result = s.initializer().build().run();

    s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), result);
    assertEachUnitChangedOnce(s);
  }

  @Test
  void seededChaosOnEveryCallStillEndsWithEveryUnitInitialized() {
    Scenario s = new Scenario(dir, 3);
    s.cloud.faults().chaos(0.2, 1234);

    InitializationResult result = s.initializer()
        .retryPolicy(RetryPolicy.defaults().withMaxAttempts(10)).build().run();

    s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), result);
    assertEachUnitChangedOnce(s);
  }

  private static void assertEachUnitChangedOnce(Scenario s) {
    CallStats stats = s.cloud.stats();
    for (int i = 0; i < s.units; i++) {
      String unit = s.unitId(i);
      for (Operation op : UNIT_OPERATIONS) {
        if (op == Operation.CLAIM || op == Operation.IMPORT_MASTER_KEY || op == Operation.ADD_USER) {
          assertThat(stats.changes(op, unit)).as("%s on unit %d", op.wireName(), i).isEqualTo(1);
        }
      }
    }
  }
}
