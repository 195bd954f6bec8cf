package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The steps (their operations, and which ones work on a unit) and what a unit's outcome holds. */
class StepAndOutcomeTest {

  @Test
  void eachStepNamesTheOperationsItMayCall() {
    assertThat(Step.CLAIM.operations())
        .containsExactlyInAnyOrder(Operation.CLAIM, Operation.LIST_UNITS);
    assertThat(Step.ADD_CRYPTO_USER.operations()).containsExactlyInAnyOrder(
        Operation.CRYPTO_USER_METADATA, Operation.OPEN_SESSION, Operation.LIST_USERS,
        Operation.ADD_USER);
    assertThat(Step.WAIT_MAINTENANCE.operations()).containsExactly(Operation.LIST_UNITS);
    assertThat(Step.KEYSHARES.operations()).isEmpty();
    assertThatThrownBy(() -> Step.VERIFY.operations().add(Operation.ZEROIZE))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theUnitStepsStartAtWaitingOutMaintenance() {
    assertThat(Step.VERIFY_INSTANCE.isUnitStep()).isFalse();
    assertThat(Step.WAIT_MAINTENANCE.isUnitStep()).isTrue();
    assertThat(Arrays.stream(Step.values()).filter(Step::isUnitStep)).containsExactly(
        Step.WAIT_MAINTENANCE, Step.CLAIM, Step.GENERATE_MASTER_KEY, Step.IMPORT_MASTER_KEY,
        Step.ADD_CRYPTO_USER, Step.VERIFY);
  }

  @Test
  void anOutcomeGivesBackItsCheckValueAndFailureWhenItHasThem() {
    CheckValue cv = new CheckValue("AAAA");
    KpDedicatedException why = new KpDedicatedException("busy", "u2", null, true, null);

    UnitOutcome done = new UnitOutcome("u1", UnitState.AVAILABLE, UnitState.KMS_INITIALIZED,
        UnitOutcome.Status.SUCCEEDED, List.of(Step.CLAIM), 1, cv, null);
    UnitOutcome failed = new UnitOutcome("u2", UnitState.CLAIMED, UnitState.CLAIMED,
        UnitOutcome.Status.FAILED, List.of(), 3, null, why);

    assertThat(done.checkValueIfKnown()).containsSame(cv);
    assertThat(done.failureIfAny()).isEmpty();
    assertThat(failed.checkValueIfKnown()).isEmpty();
    assertThat(failed.failureIfAny()).containsSame(why);
  }

  @Test
  void aFinishedEventNamesItsUnit() {
    UnitOutcome done = new UnitOutcome("u7", UnitState.KMS_INITIALIZED,
        UnitState.KMS_INITIALIZED, UnitOutcome.Status.ALREADY_DONE, List.of(), 0, null, null);

    assertThat(new InitializationEvent.UnitFinished(done).unitId()).isEqualTo("u7");
  }
}
