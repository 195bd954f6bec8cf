package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.UnitLifecycle.Change;
import io.kpdedicated.core.UnitLifecycle.Content;
import io.kpdedicated.core.UnitLifecycle.Decision;
import io.kpdedicated.core.UnitLifecycle.Kind;
import io.kpdedicated.core.UnitLifecycle.Refusal;
import io.kpdedicated.core.UnitLifecycle.Transition;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.FailureKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The service-side refusals and the small rules of the unit lifecycle, one at a time. */
class UnitLifecycleRulesTest {

  private static Refusal refusal(UnitState from, Change change) {
    Transition t = UnitLifecycle.transition(from, change);
    assertThat(t.allowed()).as(from + " " + change).isFalse();
    assertThat(t.to()).isNull();
    return t.refusal();
  }

  @Test
  void eachRefusalCarriesItsOwnKindAndServiceCode() {
    assertThat(refusal(UnitState.CLAIMED, Change.CLAIM)).extracting(Refusal::kind,
        Refusal::serviceCode).containsExactly(FailureKind.ALREADY_EXISTS,
        "CRYPTO_UNIT_ALREADY_CLAIMED");
    assertThat(refusal(UnitState.INITIALIZED, Change.LOAD_MASTER_KEY)).extracting(Refusal::kind,
        Refusal::serviceCode).containsExactly(FailureKind.ALREADY_EXISTS,
        "MASTER_KEY_ALREADY_LOADED");
    assertThat(refusal(UnitState.KMS_AUTHORIZED, Change.ADD_CRYPTO_USER)).extracting(
        Refusal::kind, Refusal::serviceCode).containsExactly(FailureKind.ALREADY_EXISTS,
        "USER_ALREADY_EXISTS");
    assertThat(refusal(UnitState.RESERVED, Change.LOAD_MASTER_KEY)).extracting(Refusal::kind,
        Refusal::serviceCode).containsExactly(FailureKind.WRONG_STATE, "CRYPTO_UNIT_NOT_CLAIMED");
    assertThat(refusal(UnitState.AVAILABLE, Change.ADD_CRYPTO_USER)).extracting(Refusal::kind,
        Refusal::serviceCode).containsExactly(FailureKind.WRONG_STATE, "CRYPTO_UNIT_NOT_CLAIMED");
    assertThat(refusal(UnitState.MAINTENANCE, Change.ZEROIZE)).extracting(Refusal::kind,
        Refusal::serviceCode).containsExactly(FailureKind.MAINTENANCE,
        "CRYPTO_UNIT_IN_MAINTENANCE");
    assertThat(refusal(UnitState.MARKED_FOR_DEL, Change.ZEROIZE)).extracting(Refusal::kind,
        Refusal::serviceCode).containsExactly(FailureKind.WRONG_STATE,
        "CRYPTO_UNIT_MARKED_FOR_DELETION");
  }

  @Test
  void aZeroizingUnitAndAnUnknownOneAreRefusedWithTheirOwnCodeAndState() {
    Refusal zeroizing = refusal(UnitState.ZEROIZED, Change.ADD_CRYPTO_USER);
    Refusal unknown = refusal(UnitState.UNKNOWN, Change.CLAIM);

    assertThat(zeroizing.kind()).isEqualTo(FailureKind.WRONG_STATE);
    assertThat(zeroizing.serviceCode()).isEqualTo("CRYPTO_UNIT_ZEROIZING");
    assertThat(zeroizing.reason()).contains("'zeroized'");
    assertThat(unknown.kind()).isEqualTo(FailureKind.WRONG_STATE);
    assertThat(unknown.serviceCode()).isEqualTo("CRYPTO_UNIT_STATE_UNKNOWN");
    assertThat(unknown.reason()).contains("'unknown'");
  }

  @Test
  void eachAllowedChangeKeepsWhatTheUnitHeld() {
    assertThat(UnitLifecycle.transition(UnitState.RESERVED, Change.CLAIM).to())
        .isEqualTo(UnitState.CLAIMED);
    assertThat(UnitLifecycle.transition(UnitState.KMS_AUTHORIZED, Change.LOAD_MASTER_KEY).to())
        .isEqualTo(UnitState.KMS_INITIALIZED);
    assertThat(UnitLifecycle.transition(UnitState.CLAIMED, Change.LOAD_MASTER_KEY).to())
        .isEqualTo(UnitState.INITIALIZED);
    assertThat(UnitLifecycle.transition(UnitState.INITIALIZED, Change.ADD_CRYPTO_USER).to())
        .isEqualTo(UnitState.KMS_INITIALIZED);
    assertThat(UnitLifecycle.transition(UnitState.CLAIMED, Change.ADD_CRYPTO_USER).to())
        .isEqualTo(UnitState.KMS_AUTHORIZED);
    assertThat(UnitLifecycle.transition(UnitState.KMS_INITIALIZED, Change.ZEROIZE).to())
        .isEqualTo(UnitState.RESERVED);
  }

  @Test
  void onlyAServiceUnitInMaintenanceOrBeingDeletedRefusesEveryCall() {
    assertThat(UnitLifecycle.refusesCalls(UnitState.MAINTENANCE)).isPresent();
    assertThat(UnitLifecycle.refusesCalls(UnitState.MARKED_FOR_DEL)).isPresent();
    for (UnitState s : List.of(UnitState.RESERVED, UnitState.CLAIMED, UnitState.ZEROIZED,
        UnitState.UNKNOWN, UnitState.KMS_INITIALIZED)) {
      assertThat(UnitLifecycle.refusesCalls(s)).as(s.name()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(value = UnitState.class,
      names = {"MAINTENANCE", "MARKED_FOR_DEL", "ZEROIZED", "UNKNOWN"})
  void aStateWithoutKnownContentIsNeitherClaimedNorHoldingAKey(UnitState state) {
    assertThat(UnitLifecycle.contentOf(state)).isEmpty();
    assertThat(UnitLifecycle.isClaimed(state)).isFalse();
    assertThat(UnitLifecycle.holdsMasterKey(state)).isFalse();
  }

  @Test
  void claimedAndHoldingAKeyFollowTheContent() {
    assertThat(UnitLifecycle.isClaimed(UnitState.CLAIMED)).isTrue();
    assertThat(UnitLifecycle.isClaimed(UnitState.RESERVED)).isFalse();
    assertThat(UnitLifecycle.holdsMasterKey(UnitState.INITIALIZED)).isTrue();
    assertThat(UnitLifecycle.holdsMasterKey(UnitState.KMS_AUTHORIZED)).isFalse();
    assertThat(UnitLifecycle.stateOf(new Content(false, true, true)))
        .isEqualTo(UnitState.RESERVED);
  }

  @Test
  void anUnknownStateWithoutRawTextIsStillExplained() {
    Decision d = UnitLifecycle.decide(UnitState.UNKNOWN, null);

    assertThat(d.kind()).isEqualTo(Kind.FAIL);
    assertThat(d.steps()).isEmpty();
    assertThat(d.reason()).startsWith("the unit reports the state '',");
  }

  @Test
  void theRecordsRefuseMissingOrContradictoryFields() {
    assertThatThrownBy(() -> new Transition(null, null))
        .isInstanceOf(IllegalArgumentException.class);
    Refusal r = new Refusal(FailureKind.WRONG_STATE, "C", "r");
    assertThatThrownBy(() -> new Transition(UnitState.CLAIMED, r))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Refusal(null, "C", "r")).hasMessage("kind");
    assertThatThrownBy(() -> new Refusal(FailureKind.WRONG_STATE, null, "r"))
        .hasMessage("serviceCode");
    assertThatThrownBy(() -> new Refusal(FailureKind.WRONG_STATE, "C", null))
        .hasMessage("reason");
    assertThatThrownBy(() -> new Decision(null, List.of(), "r")).hasMessage("kind");
    assertThatThrownBy(() -> new Decision(Kind.WORK, List.of(), null)).hasMessage("reason");
    assertThatThrownBy(() -> UnitLifecycle.transition(UnitState.CLAIMED, null))
        .hasMessage("change");
    assertThatThrownBy(() -> UnitLifecycle.refusesCalls(null)).hasMessage("state");
    assertThatThrownBy(() -> UnitLifecycle.stateOf(null)).hasMessage("content");
  }
}
