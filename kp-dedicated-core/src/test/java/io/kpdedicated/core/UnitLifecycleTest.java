package io.kpdedicated.core;

import static io.kpdedicated.core.Step.ADD_CRYPTO_USER;
import static io.kpdedicated.core.Step.CLAIM;
import static io.kpdedicated.core.Step.IMPORT_MASTER_KEY;
import static io.kpdedicated.core.Step.VERIFY;
import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.UnitLifecycle.Change;
import io.kpdedicated.core.UnitLifecycle.Content;
import io.kpdedicated.core.UnitLifecycle.Decision;
import io.kpdedicated.core.UnitLifecycle.Kind;
import io.kpdedicated.core.UnitLifecycle.Transition;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.FailureKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UnitLifecycleTest {

  private static Decision decide(UnitState state) {
    return UnitLifecycle.decide(state, state.wireValue());
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
    assertThat(decide(UnitState.KMS_AUTHORIZED).steps()).containsExactly(IMPORT_MASTER_KEY, VERIFY);
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
    Decision d = UnitLifecycle.decide(UnitState.UNKNOWN, "half-baked");
    assertThat(d.kind()).isEqualTo(Kind.FAIL);
    assertThat(d.reason()).contains("'half-baked'");
  }

  @ParameterizedTest
  @EnumSource(UnitState.class)
  void everyWorkingDecisionEndsWithAKeyCheckAfterAnyImport(UnitState state) {
    Decision d = decide(state);
    if (d.kind() == Kind.WORK) {
      assertThat(d.steps()).contains(VERIFY);
      assertThat(d.steps().indexOf(VERIFY)).isGreaterThan(
          d.steps().lastIndexOf(IMPORT_MASTER_KEY));
    }
  }

  @ParameterizedTest
  @EnumSource(UnitState.class)
  void followingTheDecisionThroughTheServiceTransitionsEndsKmsInitialized(UnitState state) {
    Decision d = decide(state);
    if (d.kind() != Kind.WORK) {
      return;
    }
    UnitState now = state;
    for (Step step : d.steps()) {
      Change change = switch (step) {
        case CLAIM -> Change.CLAIM;
        case IMPORT_MASTER_KEY -> Change.LOAD_MASTER_KEY;
        case ADD_CRYPTO_USER -> Change.ADD_CRYPTO_USER;
        default -> null;
      };
      if (change != null) {
        Transition t = UnitLifecycle.transition(now, change);
        assertThat(t.allowed()).as("%s from %s", change, now).isTrue();
        now = t.to();
      }
    }
    assertThat(now).isEqualTo(UnitState.KMS_INITIALIZED);
  }

  @Test
  void theServiceRefusesASecondClaimAndChangesOnAnUnclaimedUnit() {
    assertThat(UnitLifecycle.transition(UnitState.CLAIMED, Change.CLAIM).refusal().kind())
        .isEqualTo(FailureKind.ALREADY_EXISTS);
    assertThat(UnitLifecycle.transition(UnitState.RESERVED, Change.LOAD_MASTER_KEY).refusal()
        .serviceCode()).isEqualTo("CRYPTO_UNIT_NOT_CLAIMED");
    assertThat(UnitLifecycle.transition(UnitState.KMS_AUTHORIZED, Change.ADD_CRYPTO_USER)
        .refusal().kind()).isEqualTo(FailureKind.ALREADY_EXISTS);
  }

  @Test
  void zeroizedIsDecidedOnceNeitherClaimableNorWorkable() {
    assertThat(UnitLifecycle.transition(UnitState.ZEROIZED, Change.CLAIM).allowed()).isFalse();
    assertThat(decide(UnitState.ZEROIZED).kind()).isEqualTo(Kind.FAIL);
    assertThat(UnitLifecycle.transition(UnitState.ZEROIZED, Change.ZEROIZE).to())
        .isEqualTo(UnitState.RESERVED);
  }

  @Test
  void maintenanceAndMarkedForDeletionRefuseEveryCall() {
    for (Change change : Change.values()) {
      assertThat(UnitLifecycle.transition(UnitState.MAINTENANCE, change).refusal().kind())
          .isEqualTo(FailureKind.MAINTENANCE);
      assertThat(UnitLifecycle.transition(UnitState.MARKED_FOR_DEL, change).allowed()).isFalse();
    }
  }

  @Test
  void contentAndStateMapOneToOneForTheContentStates() {
    for (UnitState state : List.of(UnitState.CLAIMED, UnitState.INITIALIZED,
        UnitState.KMS_AUTHORIZED, UnitState.KMS_INITIALIZED, UnitState.RESERVED)) {
      Content c = UnitLifecycle.contentOf(state).orElseThrow();
      assertThat(UnitLifecycle.stateOf(c)).isEqualTo(state);
    }
  }

  @Test
  void theReadmeHoldsTheTableTheModelGenerates() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    assertThat(readme).contains(UnitLifecycle.markdownTable());
  }
}
