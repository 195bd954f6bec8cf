package io.kpdedicated.core.internal;

import static io.kpdedicated.core.Step.ADD_CRYPTO_USER;
import static io.kpdedicated.core.Step.CLAIM;
import static io.kpdedicated.core.Step.IMPORT_MASTER_KEY;
import static io.kpdedicated.core.Step.VERIFY;
import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.Step;
import io.kpdedicated.core.internal.UnitDecisions.Decision;
import io.kpdedicated.core.internal.UnitDecisions.Kind;
import io.kpdedicated.core.model.UnitState;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class UnitDecisionsTest {

  private static Decision decide(UnitState state) {
    return UnitDecisions.decide(state, state.wireValue());
  }

  @ParameterizedTest
  @EnumSource(value = UnitState.class, names = {"AVAILABLE", "RESERVED"})
  void aFreeUnitIsClaimedLoadedGivenItsCryptoUserAndVerified(UnitState state) {
    assertThat(decide(state).steps()).containsExactly(CLAIM, IMPORT_MASTER_KEY, ADD_CRYPTO_USER,
        VERIFY);
  }

  @Test
  void aClaimedUnitGetsTheKeyAndTheCryptoUser() {
    assertThat(decide(UnitState.CLAIMED).steps()).containsExactly(IMPORT_MASTER_KEY,
        ADD_CRYPTO_USER, VERIFY);
  }

  @Test
  void anInitializedUnitIsVerifiedBeforeItStillGetsItsCryptoUser() {
    assertThat(decide(UnitState.INITIALIZED).steps()).containsExactly(VERIFY, ADD_CRYPTO_USER);
  }

  @Test
  void aKmsAuthorizedUnitGetsTheKeyButNoSecondUserAdd() {
    List<Step> steps = decide(UnitState.KMS_AUTHORIZED).steps();
    assertThat(steps).containsExactly(IMPORT_MASTER_KEY, VERIFY);
    assertThat(steps).doesNotContain(ADD_CRYPTO_USER, CLAIM);
  }

  @Test
  void aKmsInitializedUnitIsOnlyVerified() {
    assertThat(decide(UnitState.KMS_INITIALIZED).steps()).containsExactly(VERIFY);
  }

  @Test
  void aUnitInMaintenanceIsWaitedFor() {
    Decision d = decide(UnitState.MAINTENANCE);
    assertThat(d.kind()).isEqualTo(Kind.WAIT);
    assertThat(d.steps()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = UnitState.class, names = {"MARKED_FOR_DEL", "ZEROIZED"})
  void aUnitBeingRemovedOrWipedFailsWithWhatToDo(UnitState state) {
    Decision d = decide(state);
    assertThat(d.kind()).isEqualTo(Kind.FAIL);
    assertThat(d.reason()).contains("run again");
  }

  @Test
  void anUnknownStateFailsNamingTheRawValue() {
    Decision d = UnitDecisions.decide(UnitState.UNKNOWN, "half-baked");
    assertThat(d.kind()).isEqualTo(Kind.FAIL);
    assertThat(d.reason()).contains("'half-baked'");
  }

  @ParameterizedTest
  @EnumSource(UnitState.class)
  void everyWorkingDecisionEndsWithAKeyCheck(UnitState state) {
    Decision d = decide(state);
    if (d.kind() == Kind.WORK) {
      assertThat(d.steps()).contains(VERIFY);
      assertThat(d.steps().indexOf(VERIFY)).isGreaterThan(
          d.steps().lastIndexOf(IMPORT_MASTER_KEY));
    }
  }
}
