package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kpd emulator} in the foreground, and {@code kpd init} on the embedded loopback emulator. */
class EmulatorCommandTest {
  @TempDir Path dir;

  @Test
  void theRunbookCommandByCommandWorksAgainstKpdEmulator() throws Exception {
    CountDownLatch serving = new CountDownLatch(1);
    CountDownLatch stop = new CountDownLatch(1);
    CliRunner emulatorRunner = new CliRunner(dir);
    emulatorRunner.foreground = onStop -> {
      serving.countDown();
      try {
        stop.await();
      } finally {
        onStop.run();
      }
    };
    CompletableFuture<CliRunner.Result> emulator = CompletableFuture.supplyAsync(
        () -> emulatorRunner.run("emulator", "--crypto-units", "3"));
    try {
      assertThat(serving.await(30, TimeUnit.SECONDS)).as("emulator started").isTrue();
      String printed = emulatorRunner.lastOut();
      Map<String, String> exports = new HashMap<>();
      Matcher m = Pattern.compile("(?m)^export ([A-Z_]+)=(\\S+)$").matcher(printed);
      while (m.find()) {
        exports.put(m.group(1), m.group(2));
      }
      assertThat(exports).containsKeys("KP_TARGET_ADDR", "KP_INSTANCE_ID", "IBMCLOUD_API_KEY",
          "IBMCLOUD_IAM_ENDPOINT", "IBMCLOUD_RC_ENDPOINT");

      CliRunner client = new CliRunner(dir);
      client.env.putAll(exports);
      CliRunner.Result units = client.run("crypto-units");
      assertThat(units.exitCode()).as(units.all()).isZero();
      assertThat(units.out().lines().skip(1)).hasSize(3)
          .allMatch(l -> l.endsWith("  reserved  -"));

      String auth = "[{\"ADMIN\":\"admin.p12#admin passphrase\"}]";
      String[][] runbook = {
          {"sig-key", "generate", "--file", "admin.p12", "--passphrase", "admin passphrase"},
          {"crypto-units"},
          {"claim", "--credential", "admin.p12", "--passphrase", "admin passphrase"},
          {"mk", "generate", "--keyshare-files", "[\"s1.json#share one\",\"s2.json#share two\"]",
              "--keyshare-minimum", "2", "--algo", "AES-256", "--key-name", "mk1"},
          {"mk", "import", "--keyshare-files", "[\"s1.json#share one\",\"s2.json#share two\"]",
              "--auth", auth},
          {"user", "add", "--type", "kmsCryptoUser", "--auth", auth}};
      for (String[] step : runbook) {
        CliRunner.Result r = client.run(step);
        assertThat(r.exitCode()).as(String.join(" ", step) + "\n" + r.all()).isZero();
      }
      CliRunner.Result after = client.run("crypto-units", "--credential",
          "admin.p12#admin passphrase");
      assertThat(after.exitCode()).as(after.all()).isZero();
      assertThat(after.out().lines().skip(1)).hasSize(3)
          .allMatch(l -> l.contains("  kms-initialized  "));
      assertThat(after.out().lines().skip(1).map(l -> l.substring(l.lastIndexOf(' ') + 1))
          .distinct()).singleElement().asString().isNotIn("-", "?");
    } finally {
      stop.countDown();
    }
    CliRunner.Result done = emulator.get(30, TimeUnit.SECONDS);
    assertThat(done.exitCode()).isZero();
    assertThat(done.err()).isEmpty();
  }

  @Test
  void emulatorRefusesFourCryptoUnits() {
    CliRunner.Result r = new CliRunner(dir).run("emulator", "--crypto-units", "4");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("2 or 3");
  }

  @Test
  void initWithoutCloudSettingsUsesTheEmbeddedLoopbackEmulator() {
    CliRunner kpd = new CliRunner(dir);
    kpd.embedded = EmbeddedCloud.loopback();

    CliRunner.Result r = kpd.run("init");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow()).startsWith(
        "No IBMCLOUD_API_KEY in the environment: running against an embedded loopback emulator"
            + " at http://127.0.0.1:");
    assertThat(r.out()).contains("are kms-initialized with master key check value");
  }
}
