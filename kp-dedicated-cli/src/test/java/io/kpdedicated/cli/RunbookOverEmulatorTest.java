package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.testkit.CloudSnapshot;
import io.kpdedicated.testkit.InstanceSnapshot;
import io.kpdedicated.testkit.emulator.LoopbackEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's runbook, command by command, through the command classes and the REST transport
 * against a loopback emulator started by the test; and bad input that must change nothing, on disk
 * or in the emulator.
 */
class RunbookOverEmulatorTest {
  private static final String AUTH = "[{\"ADMIN\":\"admin.p12#admin passphrase\"}]";

  @TempDir Path dir;

  private LoopbackEmulator emulator;
  private ServiceInstance instance;

  @BeforeEach
  void startEmulator() {
    emulator = LoopbackEmulator.builder().provisioningPolls(0).build().start();
    instance = emulator.createActiveInstance("kp-runbook", 3);
  }

  @AfterEach
  void stopEmulator() {
    emulator.close();
  }

  private CliRunner kpd() {
    CliRunner r = new CliRunner(dir);
    r.env.putAll(emulator.environment(instance));
    return r;
  }

  private InstanceSnapshot units() {
    return emulator.cloud().snapshot(instance.guid());
  }

  private CliRunner.Result ok(String... args) {
    CliRunner.Result r = kpd().run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.all()).isZero();
    return r;
  }

  @Test
  void theRunbookCommandByCommandEndsWithEveryUnitKmsInitialized() {
    List<CliRunner.Result> results = new java.util.ArrayList<>();
    results.add(ok("sig-key", "generate", "--file", "admin.p12", "--passphrase",
        "admin passphrase"));
    CliRunner.Result before = ok("crypto-units");
    assertThat(before.out().lines().skip(1)).hasSize(3)
        .allMatch(l -> l.endsWith("  reserved  -"));
    results.add(ok("claim", "--credential", "admin.p12", "--passphrase", "admin passphrase"));
    results.add(ok("mk", "generate", "--keyshare-files",
        "[\"s1.json#share one passphrase\",\"s2.json#share two passphrase\","
            + "\"s3.json#share three passphrase\"]",
        "--keyshare-minimum", "2", "--algo", "AES-256", "--key-name", "mk1"));
    results.add(ok("mk", "import", "--keyshare-files",
        "[\"s1.json#share one passphrase\",\"s3.json#share three passphrase\"]", "--auth", AUTH));
    results.add(ok("user", "add", "--type", "kmsCryptoUser", "--auth", AUTH));
    CliRunner.Result after = ok("crypto-units", "--credential", "admin.p12#admin passphrase");

    assertThat(after.out().lines().skip(1)).hasSize(3)
        .allMatch(l -> l.contains("  kms-initialized  "));
    assertThat(after.out().lines().skip(1).map(l -> l.substring(l.lastIndexOf(' ') + 1))
        .distinct()).singleElement().asString().isEqualTo(units().units().get(0).checkValue()
            .orElseThrow().text());
    assertThat(units().states()).containsOnly(UnitState.KMS_INITIALIZED);
    assertThat(units().units().stream().map(u -> u.checkValue().orElseThrow()).distinct())
        .hasSize(1);
    for (CliRunner.Result r : results) {
      assertThat(r.all()).doesNotContain("admin passphrase").doesNotContain("share one passphrase")
          .doesNotContain(emulator.apiKey());
    }
  }

  @Test
  void badInputThroughTheCliIsOneLineAndChangesNothingOnDiskOrInTheEmulator() throws Exception {
    ok("sig-key", "generate", "--file", "admin.p12", "--passphrase", "admin passphrase");
    ok("mk", "generate", "--keyshare-files",
        "[\"s1.json#share one passphrase\",\"s2.json#share two passphrase\"]",
        "--keyshare-minimum", "2", "--key-name", "mk1");
    ok("claim", "--credential", "admin.p12#admin passphrase");
    Map<String, String> files = DirSnapshot.of(dir);
    CloudSnapshot cloud = emulator.cloud().snapshot();
    int changes = emulator.cloud().stats().totalChanges();

    List<List<Object>> bad = List.of(
        // a wrong passphrase
        List.of("does not open", new String[] {"mk", "import", "--keyshare-files",
            "[\"s1.json#share one passphrase\",\"s2.json#not the passphrase\"]", "--auth", AUTH}),
        List.of("does not open", new String[] {"claim", "--credential", "admin.p12#not the passphrase"}),
        // a missing file
        List.of("gone.p12 does not exist", new String[] {"user", "add", "--type", "kmsCryptoUser", "--auth",
            "[{\"ADMIN\":\"gone.p12#admin passphrase\"}]"}),
        // 4 crypto units
        List.of("2 or 3", new String[] {"instance", "create", "kp-four", "--crypto-units", "4"}),
        List.of("2 or 3", new String[] {"init", "--name", "kp-four", "--crypto-units", "4"}),
        // a minimum above the share count
        List.of("--keyshare-minimum is 3 but must be 2 (",
            new String[] {"mk", "generate", "--keyshare-files",
            "[\"t1.json#share one passphrase\",\"t2.json#share two passphrase\"]",
            "--keyshare-minimum", "3", "--key-name", "mk2"}),
        // an existing output file
        List.of("already exists", new String[] {"sig-key", "generate", "--file", "admin.p12", "--passphrase",
            "admin passphrase"}),
        List.of("already exists", new String[] {"mk", "generate", "--keyshare-files",
            "[\"s1.json#share one passphrase\",\"t2.json#share two passphrase\"]",
            "--keyshare-minimum", "2", "--key-name", "mk2"}),
        // a region other than us-south
        List.of("us-south", new String[] {"instance", "create", "kp-eu", "--region", "eu-de"}),
        List.of("us-south", new String[] {"init", "--name", "kp-eu", "--region", "eu-de"}));

    for (List<Object> c : bad) {
      String[] args = (String[]) c.get(1);
      String what = String.join(" ", args);
      CliRunner.Result r = kpd().run(args);
      assertThat(r.err()).as(what).contains((String) c.get(0));
      assertThat(r.exitCode()).as(what).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.out()).as(what).isEmpty();
      assertThat(r.errLines()).as(what).singleElement().asString().startsWith("error: ");
      assertThat(r.all()).as(what).doesNotContain("passphrase\"").doesNotContain("not the passphrase")
          .doesNotContain("admin passphrase");
      assertThat(DirSnapshot.of(dir)).as(what).isEqualTo(files);
      assertThat(emulator.cloud().snapshot()).as(what).isEqualTo(cloud);
      assertThat(emulator.cloud().stats().totalChanges()).as(what).isEqualTo(changes);
    }
    assertThat(Files.readString(dir.resolve("s1.json"))).contains("\"version\"");
  }

  @Test
  void theMainJobRunsAgainstARunningEmulatorAndAgainOnlyVerifies() {
    CliRunner.Result first = ok("init", "--out", "run");
    assertThat(first.out()).contains("Targeting").contains("are kms-initialized");
    assertThat(units().states()).containsOnly(UnitState.KMS_INITIALIZED);
    int changes = emulator.cloud().stats().totalChanges();

    CliRunner.Result again = ok("init", "--out", "run", "--passphrases", "run/passphrases.txt");

    assertThat(again.out()).contains("already done");
    assertThat(emulator.cloud().stats().totalChanges()).isEqualTo(changes);
  }

  @Test
  void aRefusedApiKeyIsACloudErrorInOneLineWithoutTheKey() {
    CliRunner kpd = kpd();
    kpd.env.put("IBMCLOUD_API_KEY", "not-the-emulator-key");

    CliRunner.Result r = kpd.run("crypto-units");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.CLOUD_ERROR);
    assertThat(r.errLines()).singleElement().asString().startsWith("error: ")
        .doesNotContain("not-the-emulator-key");
  }

  @Test
  void anUnreachableEndpointIsACloudErrorInOneLine() {
    CliRunner kpd = kpd();
    emulator.close();

    CliRunner.Result r = kpd.run("crypto-units");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.CLOUD_ERROR);
    assertThat(r.errLines()).singleElement().asString().startsWith("error: ");
  }
}
