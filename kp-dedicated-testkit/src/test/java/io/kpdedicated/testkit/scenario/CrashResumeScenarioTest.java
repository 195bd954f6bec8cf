package io.kpdedicated.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.testkit.SimulatedCrashException;
import io.kpdedicated.core.spi.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The initializer's process dies after a random number of service calls; a fresh initializer must
 * always finish the job without creating a second instance, without a second master key, and
 * without rewriting a keyshare file.
 */
class CrashResumeScenarioTest {
  private static final int SEEDS = 200;

  @TempDir Path dir;

  /** The crash contract the testkit README states. */
  @Test
  void aCrashSurfacesAsItselfOnInstanceCallsAndInsideThePartialFailureOnUnitCalls()
      throws Exception {
    int cleanRunCalls = cleanRunCalls();
    boolean sawDirect = false;
    boolean sawPartial = false;
    for (int crashAfter = 0; crashAfter < cleanRunCalls; crashAfter += 2) {
      Scenario s = new Scenario(Files.createDirectory(dir.resolve("contract-" + crashAfter)), 2,
          crashAfter);
      s.cloud.faults().crashAfter(crashAfter);

      Throwable thrown = catchThrowable(() -> s.initializer().build().run());

      if (thrown == null) {
        assertThat(s.cloud.faults().crashed()).as("crash after %d calls", crashAfter).isFalse();
      } else if (thrown instanceof PartialFailureException p) {
        sawPartial = true;
        assertThat(p.result().units()).filteredOn(u -> u.status() == UnitOutcome.Status.FAILED)
            .isNotEmpty()
            .anySatisfy(u -> assertThat(u.failure()).isInstanceOf(SimulatedCrashException.class));
        assertThat(p.retryable()).isFalse();
      } else {
        sawDirect = true;
        assertThat(thrown).as("crash after %d calls", crashAfter)
            .isInstanceOf(SimulatedCrashException.class);
        assertThat(((SimulatedCrashException) thrown).retryable()).isFalse();
      }
    }
    assertThat(sawDirect).isTrue();
    assertThat(sawPartial).isTrue();
  }

  @Test
  void aFreshInitializerAfterACrashAtAnyPointFinishesWithoutRedoingFinishedWork()
      throws Exception {
    int cleanRunCalls = cleanRunCalls();
    assertThat(cleanRunCalls).isGreaterThan(10);
    int crashesThatHit = 0;

    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      int units = 2 + random.nextInt(2);
      Path seedDir = Files.createDirectory(dir.resolve("seed-" + seed));
      Scenario s = new Scenario(seedDir, units, seed);
      int crashAfter = random.nextInt(cleanRunCalls + 1);
      s.cloud.faults().crashAfter(crashAfter);

      Throwable firstRun = catchThrowable(() -> s.initializer().build().run());
      if (s.cloud.faults().crashed()) {
        crashesThatHit++;
        assertThat(firstRun).as("seed %d: the crashed run reports a failure", seed).isNotNull();
      }
      Map<Path, Scenario.FileFingerprint> filesAfterCrash = s.shareFiles();
      int instancesAfterCrash = s.cloud.snapshot().instances().size();
      s.cloud.faults().clear();

      InitializationResult result = s.initializer().build().run();

      String context = "seed " + seed + ", " + units + " units, crash after " + crashAfter
          + " calls";
      assertThat(s.cloud.snapshot().instances()).as(context).hasSize(1);
      assertThat(s.cloud.stats().changes(Operation.CREATE_INSTANCE)).as(context).isEqualTo(1);
      s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), result);
      assertThat(s.shareFiles()).as(context + ": keyshare files untouched")
          .containsAllEntriesOf(filesAfterCrash);
      assertThat(s.shareFiles()).as(context).hasSize(3);
      assertThat(instancesAfterCrash).as(context).isLessThanOrEqualTo(1);
      for (int i = 0; i < units; i++) {
        String unit = s.unitId(i);
        assertThat(s.cloud.stats().changes(Operation.CLAIM, unit)).as(context).isEqualTo(1);
        assertThat(s.cloud.stats().changes(Operation.IMPORT_MASTER_KEY, unit)).as(context)
            .isEqualTo(1);
        assertThat(s.cloud.stats().changes(Operation.ADD_USER, unit)).as(context).isEqualTo(1);
      }
    }
    assertThat(crashesThatHit).as("most seeds crash before the end").isGreaterThan(SEEDS / 2);
  }

  /** Counts the calls of an undisturbed 3-unit run, the range crash points are drawn from. */
  private int cleanRunCalls() throws Exception {
    Scenario s = new Scenario(Files.createDirectory(dir.resolve("clean")), 3);
    s.initializer().build().run();
    return s.cloud.stats().totalCalls();
  }
}
