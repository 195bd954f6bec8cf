package io.kpdedicated.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationPlan;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.spi.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A brand-new instance, initialized from nothing through the public initializer API. */
class FreshInitializationScenarioTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} units")
  @ValueSource(ints = {2, 3})
  void initializesAFreshInstanceWithEveryUnitHoldingTheKeysharesKey(int units) throws Exception {
    Scenario s = new Scenario(dir, units);

    InitializationResult result = s.initializer().build().run();

    s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), result);
    assertThat(result.units()).extracting(UnitOutcome::status)
        .containsOnly(UnitOutcome.Status.SUCCEEDED);
    assertThat(s.cloud.stats().changes(Operation.CREATE_INSTANCE)).isEqualTo(1);
    assertThat(s.cloud.stats().changes(Operation.CLAIM)).isEqualTo(units);
    assertThat(s.cloud.stats().changes(Operation.IMPORT_MASTER_KEY)).isEqualTo(units);
    assertThat(s.cloud.stats().changes(Operation.ADD_USER)).isEqualTo(units);
    assertThat(s.cloud.stats().totalChanges()).isEqualTo(1 + 3 * units);
    for (var share : s.shares) {
      assertThat(Files.getPosixFilePermissions(share.path()))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    assertThat(s.events(InitializationEvent.Finished.class)).hasSize(1);
  }

  @Test
  void waitsForProvisioningOnTheInjectedClockWithoutSleeping() {
    Scenario s = new Scenario(dir, 2);

    s.initializer().build().run();

    assertThat(s.cloud.stats().calls(Operation.GET_INSTANCE)).isGreaterThanOrEqualTo(3);
    assertThat(s.clock.totalSlept()).isPositive();
  }

  @Test
  void aSecondRunFindsEverythingDoneAndChangesNothing() {
    Scenario s = new Scenario(dir, 3);
    s.initializer().build().run();
    var files = s.shareFiles();
    s.cloud.stats().reset();

    InitializationResult again = s.initializer().build().run();

    s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), again);
    assertThat(again.units()).extracting(UnitOutcome::status)
        .containsOnly(UnitOutcome.Status.ALREADY_DONE);
    assertThat(s.cloud.stats().totalChanges()).isZero();
    assertThat(s.shareFiles()).isEqualTo(files);
  }

  @Test
  void runsOneUnitAtATimeWhenConcurrencyIsOne() {
    Scenario s = new Scenario(dir, 3);

    InitializationResult result = s.initializer().concurrency(1).build().run();

    s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), result);
  }

  @Test
  void planChangesNothing() {
    Scenario s = new Scenario(dir, 3);
    s.activeInstance();

    InitializationPlan plan = s.initializer().build().plan();

    assertThat(plan).isNotNull();
    assertThat(s.cloud.stats().totalChanges()).isZero();
    assertThat(s.shareFiles()).isEmpty();
  }
}
