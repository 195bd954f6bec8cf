package io.kpdedicated.core;

import static io.kpdedicated.core.fakes.FakeCloud.drop;
import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.fakes.FakeCloud;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.fakes.Fixture;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the caller's listener hears during a run and during a plan. */
class RunAndPlanEventsTest {
  private static final FakeSigner SIGNER = new FakeSigner();

  @TempDir
  Path dir;

  @Test
  void aRunSaysWhichUnitsItListedAndInWhichState() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED, UnitState.CLAIMED);

    f.builder().build().run();

    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class))
        .filteredOn(e -> e.step() == Step.LIST_UNITS).first()
        .extracting(InitializationEvent.StepSucceeded::detail)
        .isEqualTo("2 crypto units: unit-1 'kms-initialized', unit-2 'claimed'");
  }

  @Test
  void aPlanPassesOnlyItsRetriesToTheListener() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED), SIGNER);
    f.cloud.fail(Operation.FIND_INSTANCE, null, drop(Operation.FIND_INSTANCE, null));

    InitializationPlan plan = f.builder().build().plan();

    assertThat(plan.unitsKnown()).isTrue();
    assertThat(f.listener.events()).isNotEmpty()
        .allSatisfy(e -> assertThat(e).isInstanceOf(InitializationEvent.Retrying.class));
  }

  @Test
  void aPlanNeitherWaitsForMaintenanceNorAddsAUserTheUnitListsAndClosesItsSessions() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.MAINTENANCE, UnitState.INITIALIZED);
    f.cloud.hasCryptoUser("unit-2");

    InitializationPlan plan = f.builder().build().plan();

    assertThat(plan.unit("unit-1").orElseThrow().note()).contains("maintenance");
    assertThat(f.sleeper.sleeps()).isEmpty();
    assertThat(plan.unit("unit-2").orElseThrow().steps()).containsExactly(Step.VERIFY);
    assertThat(f.cloud.sessionsOpened()).isPositive();
    assertThat(f.cloud.sessionsClosed()).isEqualTo(f.cloud.sessionsOpened());
  }
}
