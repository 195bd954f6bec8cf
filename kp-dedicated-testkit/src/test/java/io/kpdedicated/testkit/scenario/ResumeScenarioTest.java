package io.kpdedicated.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.testkit.CallStats;
import io.kpdedicated.testkit.UnitArranger;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs that find units part-way (an earlier run stopped): each unit gets exactly the steps the
 * design's table says it still needs, and nothing else.
 */
class ResumeScenarioTest {
  @TempDir Path dir;

  /** Puts a unit in one of the table's states, holding the keyshares' key where the state says. */
  static void arrange(UnitArranger unit, UnitState state, CheckValue kcv) {
    switch (state) {
      case AVAILABLE -> unit.state(UnitState.AVAILABLE);
      case RESERVED -> unit.zeroized();
      case CLAIMED -> unit.claimedBy(Scenario.ADMIN.publicKey());
      case INITIALIZED -> unit.claimedBy(Scenario.ADMIN.publicKey())
          .withMasterKey(Scenario.KEY_NAME, kcv);
      case KMS_AUTHORIZED -> unit.claimedBy(Scenario.ADMIN.publicKey()).withCryptoUser();
      case KMS_INITIALIZED -> unit.claimedBy(Scenario.ADMIN.publicKey())
          .withMasterKey(Scenario.KEY_NAME, kcv).withCryptoUser();
      default -> throw new IllegalArgumentException("not a resumable state: " + state);
    }
  }

  /** The design's table: state, then whether claim, import and add-user are still to do. */
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(UnitState.AVAILABLE, true, true, true),
        Arguments.of(UnitState.RESERVED, true, true, true),
        Arguments.of(UnitState.CLAIMED, false, true, true),
        Arguments.of(UnitState.INITIALIZED, false, false, true),
        Arguments.of(UnitState.KMS_AUTHORIZED, false, true, false),
        Arguments.of(UnitState.KMS_INITIALIZED, false, false, false));
  }

  @ParameterizedTest(name = "a unit in {0}")
  @MethodSource("table")
  void aUnitGetsExactlyTheStepsItsStateStillNeeds(UnitState state, boolean claim,
      boolean importKey, boolean addUser) {
    Scenario s = new Scenario(dir, 3);
    CheckValue kcv = s.writeShares();
    String guid = s.activeInstance();
    arrange(s.cloud.arrange(guid).unit(1), state, kcv);
    assertThat(s.instance().unit(1).state()).isEqualTo(state);
    String unit = s.unitId(1);

    InitializationResult result = s.resumingInitializer().build().run();

    s.assertEveryUnitKmsInitializedWith(kcv, result);
    CallStats stats = s.cloud.stats();
    assertThat(stats.changes(Operation.CLAIM, unit)).isEqualTo(claim ? 1 : 0);
    assertThat(stats.changes(Operation.IMPORT_MASTER_KEY, unit)).isEqualTo(importKey ? 1 : 0);
    assertThat(stats.changes(Operation.ADD_USER, unit)).isEqualTo(addUser ? 1 : 0);
    assertThat(stats.changes(Operation.CREATE_INSTANCE)).isZero();
    assertThat(result.unit(unit).orElseThrow().status()).isEqualTo(
        state == UnitState.KMS_INITIALIZED ? UnitOutcome.Status.ALREADY_DONE
            : UnitOutcome.Status.SUCCEEDED);
    for (int other : new int[] {0, 2}) {
      String id = s.unitId(other);
      assertThat(stats.changes(Operation.CLAIM, id)).isEqualTo(1);
      assertThat(stats.changes(Operation.IMPORT_MASTER_KEY, id)).isEqualTo(1);
      assertThat(stats.changes(Operation.ADD_USER, id)).isEqualTo(1);
    }
  }

  static Stream<Arguments> mixes() {
    return Stream.of(
        Arguments.of(List.of(UnitState.INITIALIZED, UnitState.KMS_AUTHORIZED,
            UnitState.KMS_INITIALIZED)),
        Arguments.of(List.of(UnitState.CLAIMED, UnitState.RESERVED, UnitState.INITIALIZED)),
        Arguments.of(List.of(UnitState.KMS_AUTHORIZED, UnitState.AVAILABLE, UnitState.CLAIMED)),
        Arguments.of(List.of(UnitState.KMS_INITIALIZED, UnitState.KMS_INITIALIZED,
            UnitState.INITIALIZED)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mixes")
  void aMixOfStatesAcrossUnitsEndsWithEveryUnitDoneAndNoStepRepeated(List<UnitState> states) {
    Scenario s = new Scenario(dir, 3);
    CheckValue kcv = s.writeShares();
    String guid = s.activeInstance();
    for (int i = 0; i < states.size(); i++) {
      arrange(s.cloud.arrange(guid).unit(i), states.get(i), kcv);
    }

    InitializationResult result = s.resumingInitializer().build().run();

    s.assertEveryUnitKmsInitializedWith(kcv, result);
    CallStats stats = s.cloud.stats();
    for (int i = 0; i < states.size(); i++) {
      UnitState state = states.get(i);
      String unit = s.unitId(i);
      boolean claimed = state != UnitState.AVAILABLE && state != UnitState.RESERVED;
      boolean keyed = state == UnitState.INITIALIZED || state == UnitState.KMS_INITIALIZED;
      boolean user = state == UnitState.KMS_AUTHORIZED || state == UnitState.KMS_INITIALIZED;
      assertThat(stats.changes(Operation.CLAIM, unit)).as("claims of unit %d", i)
          .isEqualTo(claimed ? 0 : 1);
      assertThat(stats.changes(Operation.IMPORT_MASTER_KEY, unit)).as("imports of unit %d", i)
          .isEqualTo(keyed ? 0 : 1);
      assertThat(stats.changes(Operation.ADD_USER, unit)).as("users added to unit %d", i)
          .isEqualTo(user ? 0 : 1);
      assertThat(stats.calls(Operation.CLAIM, unit)).isEqualTo(claimed ? 0 : 1);
      assertThat(stats.calls(Operation.ADD_USER, unit)).isEqualTo(user ? 0 : 1);
    }
  }

  @Test
  void aUnitInAStateTheSdkDoesNotKnowFailsWithAClearErrorAndTheOthersFinish() {
    Scenario s = new Scenario(dir, 3);
    s.writeShares();
    String guid = s.activeInstance();
    s.cloud.arrange(guid).unit(0).reportedState("degraded");
    String odd = s.unitId(0);

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> s.resumingInitializer().build().run());

    UnitOutcome outcome = e.result().unit(odd).orElseThrow();
    assertThat(outcome.status()).isEqualTo(UnitOutcome.Status.FAILED);
    assertThat(outcome.failure().getMessage()).contains(odd).contains("degraded");
    assertThat(s.cloud.stats().calls(Operation.CLAIM, odd)).isZero();
    assertThat(s.instance().unit(1).state()).isEqualTo(UnitState.KMS_INITIALIZED);
    assertThat(s.instance().unit(2).state()).isEqualTo(UnitState.KMS_INITIALIZED);
  }

  @Test
  void aUnitMarkedForDeletionFailsWithAClearErrorAndTheOthersFinish() {
    Scenario s = new Scenario(dir, 3);
    CheckValue kcv = s.writeShares();
    String guid = s.activeInstance();
    s.cloud.arrange(guid).unit(2).state(UnitState.MARKED_FOR_DEL);
    String doomed = s.unitId(2);

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> s.resumingInitializer().build().run());

    UnitOutcome outcome = e.result().unit(doomed).orElseThrow();
    assertThat(outcome.status()).isEqualTo(UnitOutcome.Status.FAILED);
    assertThat(outcome.failure().getMessage()).contains(doomed).contains("marked-for-del");
    assertThat(s.cloud.stats().calls(Operation.CLAIM, doomed)).isZero();
    for (int i = 0; i < 2; i++) {
      assertThat(s.instance().unit(i).state()).isEqualTo(UnitState.KMS_INITIALIZED);
      assertThat(s.instance().unit(i).checkValue()).hasValue(kcv);
    }
  }
}
