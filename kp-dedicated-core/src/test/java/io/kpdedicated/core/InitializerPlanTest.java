package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.InitializationPlan.InstanceAction;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.InitializationPlan.UnitPlan;
import io.kpdedicated.core.fakes.FakeCloud;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.fakes.Fixture;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitializerPlanTest {
  private static final FakeSigner SIGNER = new FakeSigner();
  private static final FakeSigner SOMEONE_ELSE = new FakeSigner();
  private static final KeyCheckValue FOREIGN = new KeyCheckValue("0123456789");

  @TempDir
  Path dir;

  private Fixture fixture(FakeCloud cloud) {
    return new Fixture(dir, cloud, SIGNER);
  }

  /** Nothing in the log changes the service: a plan only reads. */
  private static void assertOnlyReads(FakeCloud cloud) {
    assertThat(cloud.log()).noneMatch(call -> call.startsWith("claim:")
        || call.startsWith("import-master-key:") || call.startsWith("add-user:")
        || call.startsWith("create-instance:") || call.startsWith("zeroize:"));
  }

  @Test
  void plansToCreateEverythingForANewInstanceWithoutDoingAnyOfIt() {
    Fixture f = fixture(new FakeCloud());
    Path identity = dir.resolve("admin.p12");

    InitializationPlan plan = f.builder().adminIdentity(AdminIdentitySource.generate(identity,
        Passphrase.of("identity-passphrase"), "admin1")).build().plan();

    assertThat(plan.instanceAction()).isEqualTo(InstanceAction.CREATE);
    assertThat(plan.instanceSteps()).containsExactly(Step.ADMIN_IDENTITY, Step.KEYSHARES,
        Step.PROVISION, Step.WAIT_ACTIVE, Step.RESOLVE_ENDPOINT, Step.LIST_UNITS);
    assertThat(plan.identityAction()).isEqualTo(IdentityAction.GENERATE);
    assertThat(plan.keysharesAction()).isEqualTo(KeysharesAction.GENERATE);
    assertThat(plan.unitsKnown()).isFalse();
    assertThat(plan.problems()).isEmpty();
    assertThat(plan.nothingToDo()).isFalse();
    assertThat(plan.backend()).isEqualTo("portable: fake");
    assertThat(plan.checkedOffline()).isTrue();
    assertThat(f.cloud.calls(Operation.CREATE_INSTANCE, null)).isZero();
    assertThat(identity).doesNotExist();
    assertThat(f.shares(3)).allSatisfy(s -> assertThat(s.path()).doesNotExist());
  }

  @Test
  void plansEachUnitByItsStateReadingKeysAndUsersButChangingNothing() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.RESERVED, UnitState.CLAIMED,
        UnitState.INITIALIZED, UnitState.KMS_AUTHORIZED, UnitState.KMS_INITIALIZED,
        UnitState.MAINTENANCE, UnitState.MARKED_FOR_DEL);
    f.cloud.maintenance("unit-6", 1000);

    InitializationPlan plan = f.builder().instance(InstanceSelector.existing(FakeCloud.CRN))
        .build().plan();

    assertThat(plan.instanceAction()).isEqualTo(InstanceAction.REUSE);
    assertThat(plan.unitsKnown()).isTrue();
    assertThat(plan.units()).extracting(UnitPlan::steps).containsExactly(
        List.of(Step.CLAIM, Step.IMPORT_MASTER_KEY, Step.ADD_CRYPTO_USER, Step.VERIFY),
        List.of(Step.IMPORT_MASTER_KEY, Step.ADD_CRYPTO_USER, Step.VERIFY),
        List.of(Step.VERIFY, Step.ADD_CRYPTO_USER),
        List.of(Step.IMPORT_MASTER_KEY, Step.VERIFY),
        List.of(Step.VERIFY),
        List.of(),
        List.of());
    assertThat(plan.unit("unit-6").orElseThrow().note()).contains("maintenance");
    assertThat(plan.unit("unit-7").orElseThrow().willFail()).isTrue();
    assertThat(plan.unit("unit-7").orElseThrow().note()).contains("marked for deletion");
    assertThat(plan.instanceSteps()).contains(Step.SURVEY_KEYS);
    assertThat(f.cloud.log()).contains("list-master-keys:unit-3", "list-master-keys:unit-5");
    assertOnlyReads(f.cloud);
  }

  @Test
  void afterACompleteRunThePlanListsTheInstanceStepsTheNextRunPerformsIncludingProvisionAsReuse() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    DedicatedInitializer init = f.builder().build();
    init.run();

    InitializationPlan plan = init.plan();
    InitializationResult next = init.run();

    assertThat(plan.instanceSteps()).contains(Step.PROVISION)
        .isEqualTo(next.instanceSteps());
    assertThat(plan.units()).extracting(UnitPlan::steps)
        .containsExactlyElementsOf(next.units().stream().map(UnitOutcome::steps).toList());
    assertThat(plan.nothingToDo()).isTrue();
  }

  @Test
  void reportsUnitsHoldingAForeignMasterKeyAsFailingAsRunWould() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED,
        UnitState.KMS_INITIALIZED);
    for (String id : List.of("unit-1", "unit-2")) {
      f.cloud.unit(id).keys.clear();
      f.cloud.holdsKey(id, "other", FOREIGN);
    }

    InitializationPlan plan = f.builder().build().plan();

    assertThat(plan.nothingToDo()).isFalse();
    assertThat(plan.failingUnits()).hasSize(2).allSatisfy(u -> {
      assertThat(u.failureIfAny()).get().isInstanceOf(KeyMismatchException.class);
      assertThat(u.note()).contains(PortableHsmBackend.checkValueOf(FOREIGN).text());
    });
    assertOnlyReads(f.cloud);
  }

  @Test
  void reportsAUnitClaimedByAnotherAdministratorWithTheWayOut() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.CLAIMED, UnitState.RESERVED);
    f.cloud.claimedBy("unit-1", SOMEONE_ELSE);

    InitializationPlan plan = f.builder().build().plan();

    UnitPlan claimed = plan.unit("unit-1").orElseThrow();
    assertThat(claimed.willFail()).isTrue();
    assertThat(claimed.steps()).isEmpty();
    assertThat(claimed.note()).contains("different administrator key")
        .contains("zeroize");
    assertThat(plan.unit("unit-2").orElseThrow().willFail()).isTrue(); // the first unit failed
    assertOnlyReads(f.cloud);
  }

  @Test
  void marksUntargetedUnitsAndReportsUnknownTargets() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));

    InitializationPlan plan = f.builder().targetUnits(Set.of("unit-2", "unit-5")).build().plan();

    assertThat(plan.unit("unit-1").orElseThrow().targeted()).isFalse();
    assertThat(plan.unit("unit-1").orElseThrow().steps()).isEmpty();
    assertThat(plan.unit("unit-2").orElseThrow().targeted()).isTrue();
    assertThat(plan.problems()).singleElement().asString().contains("[unit-5]");
  }

  @Test
  void reportsPartialKeysharesAsAProblem() throws Exception {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    Files.writeString(f.shares(3).get(2).path(), "{}");

    InitializationPlan plan = f.builder().build().plan();

    assertThat(plan.keysharesAction()).isEqualTo(KeysharesAction.BLOCKED);
    assertThat(plan.problems()).singleElement().asString().contains("share3.json");
  }

  @Test
  void reportsAFailedInstanceAsBlocked() {
    FakeCloud failed = new FakeCloud().pollsUntilActive(5).becomes(InstanceState.FAILED);
    Fixture g = fixture(failed);
    failed.createInstance(io.kpdedicated.core.model.InstanceRequest.named("kpd-test"));
    failed.getInstance(FakeCloud.CRN);

    InitializationPlan plan = g.builder().build().plan();

    assertThat(plan.instanceAction()).isEqualTo(InstanceAction.BLOCKED);
    assertThat(plan.problems()).singleElement().asString().contains("will not become active");
  }

  @Test
  void plansToWaitForAnInstanceStillProvisioning() {
    FakeCloud cloud = new FakeCloud().pollsUntilActive(10);
    cloud.createInstance(io.kpdedicated.core.model.InstanceRequest.named("kpd-test"));
    Fixture f = fixture(cloud);

    InitializationPlan plan = f.builder().build().plan();

    assertThat(plan.instanceAction()).isEqualTo(InstanceAction.REUSE);
    assertThat(plan.instanceSteps()).contains(Step.PROVISION, Step.WAIT_ACTIVE);
    assertThat(plan.unitsKnown()).isFalse();
  }

  @Test
  void findsNothingToDoAfterACompleteRun() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    DedicatedInitializer init = f.builder().build();
    assertThat(init.plan().nothingToDo()).isFalse();

    init.run();
    InitializationPlan after = init.plan();

    assertThat(after.keysharesAction()).isEqualTo(KeysharesAction.REUSE);
    assertThat(after.identityAction()).isEqualTo(IdentityAction.USE_GIVEN);
    assertThat(after.units()).allSatisfy(u -> assertThat(u.steps()).containsExactly(Step.VERIFY));
    assertThat(after.nothingToDo()).isTrue();
  }
}
