package io.kpdedicated.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash points with a generated administrator identity file, as {@code kpd init} runs: with
 * {@link KdfCost#forTestsOnly()} the identity file costs no more than a signer held in memory, and
 * a fresh initializer after a crash at any point reuses the file and finishes.
 */
class CrashResumeWithFilesScenarioTest {
  private static final int CRASH_POINTS = 22;

  @TempDir Path dir;

  private static DedicatedInitializer.Builder withFiles(Scenario s, Path folder) {
    return s.initializer()
        .adminIdentity(AdminIdentitySource.generate(folder.resolve("admin.p12"),
            Passphrase.of("admin file passphrase"), "admin"))
        .kdfCost(KdfCost.forTestsOnly());
  }

  @Test
  void everyCrashPointWithAnIdentityFileResumesWithTheSameFile() throws Exception {
    for (int crashAfter = 1; crashAfter <= CRASH_POINTS; crashAfter++) {
      Path folder = Files.createDirectory(dir.resolve("crash-" + crashAfter));
      Scenario s = new Scenario(folder, 3, crashAfter);
      s.cloud.faults().crashAfter(crashAfter);
      catchThrowable(() -> withFiles(s, folder).build().run());
      byte[] identity = Files.exists(folder.resolve("admin.p12"))
          ? Files.readAllBytes(folder.resolve("admin.p12")) : null;
      s.cloud.faults().clear();

      InitializationResult result = withFiles(s, folder).build().run();

      s.assertEveryUnitKmsInitializedWith(s.sharesCheckValue(), result);
      if (identity != null) {
        assertThat(Files.readAllBytes(folder.resolve("admin.p12")))
            .as("crash after %d: the identity file is reused, never rewritten", crashAfter)
            .isEqualTo(identity);
      }
    }
  }
}
