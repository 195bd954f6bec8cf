package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kpd init} and {@code kpd plan} on an in-memory cloud, through the command classes. */
class InitCommandTest {
  private static final Pattern KCV_ROW =
      Pattern.compile("(?m)^\\S+\\s+kms-initialized\\s+([0-9A-F]{10})\\s+\\d+\\s+succeeded$");

  @TempDir Path dir;

  private final AtomicInteger embeddedStarts = new AtomicInteger();

  /** A runner whose embedded cloud is in-memory and counts its starts. */
  private CliRunner embedded() {
    CliRunner r = new CliRunner(dir);
    EmbeddedCloud.Factory inMemory = EmbeddedCloud.inMemory();
    r.embedded = ctx -> {
      embeddedStarts.incrementAndGet();
      return inMemory.start(ctx);
    };
    return r;
  }

  private CliRunner cloudMode(InMemoryDedicatedCloud cloud, ServiceInstance instance) {
    CliRunner r = new CliRunner(dir);
    r.transports = settings -> InMemoryTransport.over(cloud);
    r.env.put(Env.API_KEY, "test-api-key");
    r.env.put(Env.TARGET_ADDR, instance.publicEndpoint().toString());
    r.env.put(Env.INSTANCE_ID, instance.guid());
    return r;
  }

  @Test
  void initWithoutCloudSettingsRunsEmbeddedAndEndsWithEveryUnitKmsInitialized() throws Exception {
    CliRunner.Result r = embedded().run("init", "--crypto-units", "3");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow())
        .startsWith("No IBMCLOUD_API_KEY in the environment: running against an embedded");
    Matcher m = KCV_ROW.matcher(r.out());
    List<String> kcvs = new ArrayList<>();
    while (m.find()) {
      kcvs.add(m.group(1));
    }
    assertThat(kcvs).hasSize(3).containsOnly(kcvs.get(0));
    assertThat(r.out()).contains("are kms-initialized with master key check value " + kcvs.get(0));

    Path out;
    try (Stream<Path> s = Files.list(dir)) {
      out = s.filter(p -> p.getFileName().toString().startsWith("kpd-out-")).findFirst()
          .orElseThrow();
    }
    assertThat(out.resolve("admin.p12")).exists();
    assertThat(out.resolve("keyshare-3.json")).exists();
    Path passphrases = out.resolve("passphrases.txt");
    assertThat(Files.getPosixFilePermissions(passphrases)).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(r.out()).contains(passphrases.toString());
    for (String line : Files.readAllLines(passphrases)) {
      if (!line.startsWith("#")) {
        String secret = line.substring(line.indexOf('#') + 1);
        assertThat(r.all()).doesNotContain(secret);
      }
    }

    CliRunner.Result verify = embedded().run("mk", "verify", "--keyshare-files",
        "[\"" + out.resolve("keyshare-1.json") + "\",\"" + out.resolve("keyshare-3.json") + "\"]",
        "--passphrases", passphrases.toString());
    assertThat(verify.out()).contains("Key check value: " + kcvs.get(0));
  }

  @Test
  void badInitInputIsOneLineAndChangesNothing() throws IOException {
    Files.createDirectory(dir.resolve("old"));
    Files.writeString(dir.resolve("old/passphrases.txt"), "keep me");
    List<String[]> bad = List.of(
        new String[] {"init", "--crypto-units", "4"},
        new String[] {"init", "--keyshares", "2", "--keyshare-minimum", "3"},
        new String[] {"init", "--keyshares", "1"},
        new String[] {"init", "--region", "eu-de"},
        new String[] {"init", "--out", "old"},
        new String[] {"init", "--key-name", "waytoolongname"},
        new String[] {"init", "--keyshare-files", "[\"a.json#first secret\",\"gone.json#x1234567\"]",
            "--out", "new"});
    Files.writeString(dir.resolve("a.json"), "exists");
    Map<String, String> before = DirSnapshot.of(dir);

    for (String[] args : bad) {
      CliRunner.Result r = embedded().run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.errLines()).as(String.join(" ", args)).singleElement().asString()
          .startsWith("error: ");
      assertThat(r.all()).doesNotContain("first secret");
      assertThat(DirSnapshot.of(dir)).as(String.join(" ", args)).isEqualTo(before);
    }
    assertThat(embeddedStarts).hasValue(0);
  }

  @Test
  void aPartialFailurePrintsTheCommandThatFinishesOnlyTheFailedUnit() {
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder().seed(3).build();
    ServiceInstance instance = cloud.arrange().activeInstance(
        new InstanceRequest("kp-prod", "us-south", null, 2));
    String second = cloud.snapshot(instance.guid()).unit(1).id();
    cloud.faults().on(Operation.IMPORT_MASTER_KEY).unit(second).times(1)
        .error(400, "BAD_REQUEST", "refused once");

    CliRunner.Result failed = cloudMode(cloud, instance).run("init", "--out", "run1");

    assertThat(failed.exitCode()).as(failed.all()).isEqualTo(ExitCodes.PARTIAL_FAILURE);
    assertThat(failed.out()).contains("Executing operation mk import against CryptoUnit with ID "
        + second + ": FAILED");
    assertThat(cloud.snapshot(instance.guid()).unit(0).state())
        .isEqualTo(UnitState.KMS_INITIALIZED);
    Matcher m = Pattern.compile("(?m)^  kpd (.*)$").matcher(failed.err());
    assertThat(m.find()).as(failed.err()).isTrue();
    String retry = m.group(1);
    assertThat(retry).contains("--out run1")
        .contains("--passphrases " + dir.resolve("run1/passphrases.txt"))
        .endsWith("--id " + second);

    CliRunner.Result finished = cloudMode(cloud, instance)
        .run(ShellWords.split(retry).toArray(String[]::new));

    assertThat(finished.exitCode()).as(finished.all()).isZero();
    assertThat(cloud.snapshot(instance.guid()).states()).containsOnly(UnitState.KMS_INITIALIZED);
    assertThat(finished.out()).contains("not targeted").contains("are kms-initialized");
  }

  @Test
  void runningAgainWithTheSameFolderResumesAndChangesNothingMore() {
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder().seed(5).build();
    ServiceInstance instance = cloud.arrange().activeInstance(
        new InstanceRequest("kp-prod", "us-south", null, 2));
    assertThat(cloudMode(cloud, instance).run("init", "--out", "run1").exitCode()).isZero();
    int changes = cloud.stats().totalChanges();

    CliRunner.Result again = cloudMode(cloud, instance).run("init", "--out", "run1",
        "--passphrases", "run1/passphrases.txt");

    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(again.out()).contains("already done");
    assertThat(cloud.stats().totalChanges()).isEqualTo(changes);
  }

  @Test
  void initOnIbmCloudNeedsAnInstanceNameOrId() {
    CliRunner r = new CliRunner(dir);
    r.env.put(Env.API_KEY, "test-api-key");
    r.transports = settings -> InMemoryTransport.over(InMemoryDedicatedCloud.create());

    CliRunner.Result result = r.run("init");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.errLines()).singleElement().asString().contains("--name");
    assertThat(DirSnapshot.of(dir)).containsOnlyKeys("/");
  }

  @Test
  void planShowsWhatInitWouldDoAndWritesNothing() {
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder().seed(9).build();
    ServiceInstance instance = cloud.arrange().activeInstance(
        new InstanceRequest("kp-prod", "us-south", null, 2));

    CliRunner.Result plan = cloudMode(cloud, instance).run("plan");

    assertThat(plan.exitCode()).as(plan.all()).isZero();
    assertThat(plan.out()).contains("admin identity: generate").contains("claim")
        .contains("mk import");
    assertThat(DirSnapshot.of(dir)).containsOnlyKeys("/");
    assertThat(cloud.stats().totalChanges()).isZero();
  }

  @Test
  void progressIsALiveLineOnATerminalAndPlainLinesOtherwise() {
    CliRunner.Result plain = embedded().run("init", "--out", "plain");
    CliRunner terminal = embedded();
    terminal.interactive = true;
    CliRunner.Result live = terminal.run("init", "--out", "live");

    assertThat(plain.exitCode()).isZero();
    assertThat(live.exitCode()).isZero();
    assertThat(plain.out()).doesNotContain("\r").contains("Executing operation claim against");
    assertThat(live.out()).contains("\r  [").contains("Executing operation claim against");
  }
}
