package io.kpdedicated.examples;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationListener;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Embedding example 3: a retry policy and a progress listener. The in-memory cloud is told to fail
 * some calls (two 503 answers on a claim, a unit in maintenance for a while) so the retries show.
 *
 * <p>Run (from the repository root, after {@code mvn package}):
 * {@code java -cp kp-dedicated-examples/target/examples.jar io.kpdedicated.examples.RetryAndProgressExample}.
 */
public final class RetryAndProgressExample {
  private RetryAndProgressExample() {}

  /**
   * Runs the example against a faulty in-memory cloud, with real (short) waits.
   *
   * @param args ignored
   * @throws IOException if the temporary folder cannot be created
   */
  public static void main(String[] args) throws IOException {
    InMemoryDedicatedCloud cloud = faultyCloud();
    try (ExampleFolder dir = ExampleFolder.create()) {
      InitializationResult result = initialize(ExampleCloud.inMemory(cloud), dir.path(),
          Sleeper.SYSTEM, System.out);
      System.out.println("Done: every unit holds key check value "
          + result.checkValue().orElseThrow());
    }
  }

  /** {@return an in-memory cloud that fails the first claims and keeps a unit in maintenance} */
  public static InMemoryDedicatedCloud faultyCloud() {
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder().provisioningPolls(1).build();
    cloud.faults().on(Operation.CLAIM).unitIndex(0).times(2)
        .error(503, "SERVICE_UNAVAILABLE", "the unit is busy");
    cloud.faults().on(Operation.IMPORT_MASTER_KEY).unitIndex(1).times(1).maintenance();
    return cloud;
  }

  /**
   * Initializes with a retry policy of up to 6 attempts per call (200 ms, doubling, at most 2 s,
   * 20% jitter) and a listener that prints progress.
   *
   * @param cloud where to run
   * @param dir the folder for the key files
   * @param sleeper how to wait between attempts (tests pass one that returns at once)
   * @param out where progress goes
   * @return every unit's outcome
   */
  public static InitializationResult initialize(ExampleCloud cloud, Path dir, Sleeper sleeper,
      PrintStream out) {
    RetryPolicy retry = new RetryPolicy(6, Duration.ofMillis(200), 2.0, Duration.ofSeconds(2),
        0.2);
    try (Passphrase admin = Passphrase.of("admin passphrase 1");
        Passphrase s1 = Passphrase.of("share one passphrase");
        Passphrase s2 = Passphrase.of("share two passphrase")) {
      return DedicatedInitializer.builder()
          .transport(cloud.transport())
          .instance(cloud.instance())
          .adminIdentity(AdminIdentitySource.generate(dir.resolve("admin.p12"), admin, "admin"))
          .masterKey(MasterKeySource.generate("mk1", 2, List.of(
              new KeyshareLocation(dir.resolve("share-1.json"), s1),
              new KeyshareLocation(dir.resolve("share-2.json"), s2))))
          .retryPolicy(retry)
          .sleeper(sleeper)
          .listener(new ProgressListener(out))
          .build()
          .run();
    }
  }

  /**
   * Prints one line per event and a percentage of the unit steps done. Events arrive one at a time,
   * so the listener needs no locking of its own.
   */
  public static final class ProgressListener implements InitializationListener {
    private static final int UNIT_STEPS = 4; // claim, import, crypto user, verify
    private final PrintStream out;
    private final Set<String> units = new HashSet<>();
    private int unitStepsDone;
    private int retries;

    /**
     * Creates a listener.
     *
     * @param out where lines go
     */
    public ProgressListener(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onEvent(InitializationEvent event) {
      if (event instanceof InitializationEvent.StepStarted e && e.unitId() != null) {
        units.add(e.unitId());
      } else if (event instanceof InitializationEvent.StepSucceeded e) {
        if (e.step().isUnitStep()) {
          unitStepsDone++;
        }
        out.printf(Locale.ROOT, "[%3d%%] %s %s%n", percent(), name(e.step()),
            e.unitId() == null ? e.detail() : "on " + e.unitId() + ": " + e.detail());
      } else if (event instanceof InitializationEvent.StepSkipped e && e.step().isUnitStep()) {
        unitStepsDone++;
      } else if (event instanceof InitializationEvent.Retrying e) {
        retries++;
        out.printf(Locale.ROOT, "       retry %d of %s%s in %d ms: %s%n", e.attempt(),
            name(e.step()), e.unitId() == null ? "" : " on " + e.unitId(), e.delay().toMillis(),
            e.cause().getMessage());
      } else if (event instanceof InitializationEvent.Waiting e) {
        out.printf(Locale.ROOT, "       waiting (%s), next check in %d ms%n", e.state(),
            e.delay().toMillis());
      } else if (event instanceof InitializationEvent.UnitFailed e) {
        out.println("       FAILED " + e.unitId() + ": " + e.outcome().failure().getMessage());
      }
    }

    /** {@return how many retries were announced} */
    public int retries() {
      return retries;
    }

    private int percent() {
      return units.isEmpty() ? 0 : Math.min(100, 100 * unitStepsDone / (units.size() * UNIT_STEPS));
    }

    private static String name(Step step) {
      return step.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }
}
