package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.InitializationPlan.InstanceAction;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.InitializationPlan.UnitPlan;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.UnitState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a plan says about itself: when there is nothing to do, its failing units, its text. */
class InitializationPlanValuesTest {
  private static final UnitPlan VERIFY_ONLY = new UnitPlan("unit-1", UnitState.KMS_INITIALIZED,
      "kms-initialized", true, List.of(Step.VERIFY), "", null);
  private static final UnitPlan UNTARGETED_WORK = new UnitPlan("unit-9", UnitState.RESERVED,
      "reserved", false, List.of(Step.CLAIM, Step.IMPORT_MASTER_KEY), "not targeted: left alone",
      null);

  private static InitializationPlan plan(InstanceAction instance, IdentityAction identity,
      KeysharesAction keys, boolean unitsKnown, List<UnitPlan> units, List<String> problems) {
    return new InitializationPlan(instance, null, List.of(Step.PROVISION), identity, keys,
        unitsKnown, units, problems, "portable: test", new CheckValue("ABCDEF"), true);
  }

  private static InitializationPlan done(List<UnitPlan> units) {
    return plan(InstanceAction.REUSE, IdentityAction.LOAD, KeysharesAction.REUSE, true, units,
        List.of());
  }

  @Test
  void aPlanOfVerifyingOnlyHasNothingToDoWhateverUntargetedUnitsNeed() {
    assertThat(done(List.of(VERIFY_ONLY, UNTARGETED_WORK)).nothingToDo()).isTrue();
    assertThat(done(List.of()).nothingToDo()).isTrue();
    assertThat(plan(InstanceAction.USE_TARGET, IdentityAction.USE_GIVEN,
        KeysharesAction.USE_GIVEN, true, List.of(VERIFY_ONLY), List.of()).nothingToDo()).isTrue();
  }

  @Test
  void anythingToCreateOrBlockedMeansThereIsSomethingToDo() {
    for (InstanceAction a : List.of(InstanceAction.CREATE, InstanceAction.BLOCKED)) {
      assertThat(plan(a, IdentityAction.LOAD, KeysharesAction.REUSE, true, List.of(VERIFY_ONLY),
          List.of()).nothingToDo()).as(a.name()).isFalse();
    }
    for (KeysharesAction k : List.of(KeysharesAction.GENERATE, KeysharesAction.BLOCKED)) {
      assertThat(plan(InstanceAction.REUSE, IdentityAction.LOAD, k, true, List.of(VERIFY_ONLY),
          List.of()).nothingToDo()).as(k.name()).isFalse();
    }
    assertThat(plan(InstanceAction.REUSE, IdentityAction.GENERATE, KeysharesAction.REUSE, true,
        List.of(VERIFY_ONLY), List.of()).nothingToDo()).isFalse();
  }

  @Test
  void unknownUnitsOrAProblemMeanThereIsSomethingToDo() {
    assertThat(plan(InstanceAction.REUSE, IdentityAction.LOAD, KeysharesAction.REUSE, false,
        List.of(), List.of()).nothingToDo()).isFalse();
    assertThat(plan(InstanceAction.REUSE, IdentityAction.LOAD, KeysharesAction.REUSE, true,
        List.of(VERIFY_ONLY), List.of("the token was refused")).nothingToDo()).isFalse();
  }

  @Test
  void aTargetedUnitWithWorkAFailureOrMaintenanceMeansThereIsSomethingToDo() {
    UnitPlan work = new UnitPlan("unit-2", UnitState.CLAIMED, "claimed", true,
        List.of(Step.IMPORT_MASTER_KEY, Step.VERIFY), "", null);
    UnitPlan failing = new UnitPlan("unit-3", UnitState.KMS_INITIALIZED, "kms-initialized", true,
        List.of(Step.VERIFY), "", new InitializationException("other key", "zeroize"));
    UnitPlan maintenance = new UnitPlan("unit-4", UnitState.MAINTENANCE, "maintenance", true,
        List.of(), "the unit is in maintenance; waits", null);

    assertThat(done(List.of(VERIFY_ONLY, work)).nothingToDo()).isFalse();
    assertThat(done(List.of(failing)).nothingToDo()).isFalse();
    assertThat(done(List.of(maintenance)).nothingToDo()).isFalse();
  }

  @Test
  void failingUnitsAreTheUnitsThatWillFail() {
    InitializationException why = new InitializationException("other key", "zeroize");
    UnitPlan failing = new UnitPlan("unit-3", UnitState.KMS_INITIALIZED, "kms-initialized", true,
        List.of(Step.VERIFY), "", why);
    InitializationPlan p = done(List.of(VERIFY_ONLY, failing));

    assertThat(p.failingUnits()).containsExactly(failing);
    assertThat(failing.willFail()).isTrue();
    assertThat(failing.failureIfAny()).containsSame(why);
    assertThat(VERIFY_ONLY.willFail()).isFalse();
    assertThat(VERIFY_ONLY.failureIfAny()).isEmpty();
    assertThat(p.unit("unit-3")).containsSame(failing);
    assertThat(p.unit("unit-7")).isEmpty();
  }

  @Test
  void theTextNamesEachUnitsStepsAndTheProblems() {
    UnitPlan failing = new UnitPlan("unit-3", UnitState.CLAIMED, "claimed", true,
        List.of(Step.IMPORT_MASTER_KEY), "", new InitializationException("x", "y"));
    InitializationPlan p = plan(InstanceAction.REUSE, IdentityAction.LOAD,
        KeysharesAction.REUSE, true, List.of(VERIFY_ONLY, UNTARGETED_WORK, failing),
        List.of("p1"));

    assertThat(p).hasToString("InitializationPlan[instance=REUSE[PROVISION], identity=LOAD,"
        + " keyshares=REUSE, unit-1(kms-initialized)=[VERIFY], unit-9(reserved)=not targeted,"
        + " unit-3(claimed)=[IMPORT_MASTER_KEY] FAILS, problems=[p1]]");
    assertThat(done(List.of()).toString()).isEqualTo("InitializationPlan[instance=REUSE[PROVISION],"
        + " identity=LOAD, keyshares=REUSE]");
  }

  @Test
  void thePlanKeepsItsOwnCopiesAndItsFacts() {
    List<UnitPlan> units = new ArrayList<>(List.of(VERIFY_ONLY));
    List<String> problems = new ArrayList<>();
    InitializationPlan p = new InitializationPlan(InstanceAction.REUSE, null, List.of(),
        IdentityAction.LOAD, KeysharesAction.REUSE, true, units, problems, "portable: test",
        null, false);
    units.clear();
    problems.add("late");

    assertThat(p.units()).containsExactly(VERIFY_ONLY);
    assertThat(p.problems()).isEmpty();
    assertThat(p.checkValue()).isEmpty();
    assertThat(p.checkedOffline()).isFalse();
    assertThat(p.backend()).isEqualTo("portable: test");
    assertThat(p.instance()).isEmpty();
    assertThat(p.unitsKnown()).isTrue();
    assertThat(done(List.of()).checkValue()).contains(new CheckValue("ABCDEF"));
    assertThat(done(List.of()).checkedOffline()).isTrue();
  }

  @Test
  void aUnitPlanRefusesMissingFields() {
    assertThatThrownBy(() -> new UnitPlan(null, UnitState.CLAIMED, "claimed", true, List.of(),
        "", null)).isInstanceOf(NullPointerException.class).hasMessage("unitId");
    assertThatThrownBy(() -> new UnitPlan("u", null, "claimed", true, List.of(), "", null))
        .isInstanceOf(NullPointerException.class).hasMessage("state");
    assertThatThrownBy(() -> new UnitPlan("u", UnitState.CLAIMED, null, true, List.of(), "",
        null)).isInstanceOf(NullPointerException.class).hasMessage("rawState");
    assertThatThrownBy(() -> new UnitPlan("u", UnitState.CLAIMED, "claimed", true, null, "",
        null)).isInstanceOf(NullPointerException.class).hasMessage("steps");
    assertThatThrownBy(() -> new UnitPlan("u", UnitState.CLAIMED, "claimed", true, List.of(),
        null, null)).isInstanceOf(NullPointerException.class).hasMessage("note");
  }

  @Test
  void thePlanGivesTheInstanceItFound() {
    io.kpdedicated.core.model.ServiceInstance found = new io.kpdedicated.core.model.ServiceInstance(
        "crn:1", "g1", "crn:1", "kp", io.kpdedicated.core.model.InstanceState.ACTIVE, "active",
        "us-south", null, null, 2, null);

    InitializationPlan p = new InitializationPlan(InstanceAction.REUSE, found, List.of(),
        IdentityAction.LOAD, KeysharesAction.REUSE, false, List.of(), List.of(), "b", null,
        false);

    assertThat(p.instance()).containsSame(found);
  }
}
