package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import io.kpdedicated.testkit.InstanceSnapshot;
import io.kpdedicated.testkit.UnitSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runbook's commands against the in-memory cloud, through the command classes. */
class RunbookInMemoryTest {
  @TempDir Path dir;

  private InMemoryDedicatedCloud cloud;
  private ServiceInstance instance;

  @BeforeEach
  void startCloud() {
    cloud = InMemoryDedicatedCloud.builder().seed(7).build();
    instance = cloud.arrange().activeInstance(
        new InstanceRequest("kp-test", "us-south", null, 3));
  }

  private CliRunner kpd() {
    CliRunner r = new CliRunner(dir);
    r.transports = settings -> InMemoryTransport.over(cloud);
    r.env.put(Env.API_KEY, "test-api-key");
    r.env.put(Env.TARGET_ADDR, instance.publicEndpoint().toString());
    r.env.put(Env.INSTANCE_ID, instance.guid());
    return r;
  }

  private InstanceSnapshot snapshot() {
    return cloud.snapshot(instance.guid());
  }

  private void generateKeys() {
    assertThat(kpd().run("sig-key", "generate", "--file", "admin.p12",
        "--passphrase", "admin secret").exitCode()).isZero();
    assertThat(kpd().run("mk", "generate", "--keyshare-files",
        "[\"s1.json#share one\",\"s2.json#share two\",\"s3.json#share three\"]",
        "--keyshare-minimum", "2", "--algo", "AES-256", "--key-name", "mk1").exitCode()).isZero();
  }

  @Test
  void theRunbookCommandByCommandEndsWithEveryUnitKmsInitialized() {
    generateKeys();

    CliRunner.Result units = kpd().run("crypto-units");
    assertThat(units.exitCode()).isZero();
    assertThat(units.out()).contains("ID").contains("STATE").contains("reserved");

    CliRunner.Result claim = kpd().run("claim", "--credential", "admin.p12",
        "--passphrase", "admin secret");
    assertThat(claim.exitCode()).as(claim.all()).isZero();
    for (UnitSnapshot u : snapshot().units()) {
      assertThat(claim.out()).contains(
          "Executing operation claim against CryptoUnit with ID " + u.id() + ": OK");
    }

    CliRunner.Result imported = kpd().run("mk", "import", "--keyshare-files",
        "[\"s1.json#share one\",\"s3.json#share three\"]",
        "--auth", "[{\"ADMIN\":\"admin.p12#admin secret\"}]");
    assertThat(imported.exitCode()).as(imported.all()).isZero();

    CliRunner.Result user = kpd().run("user", "add", "--type", "kmsCryptoUser",
        "--auth", "[{\"ADMIN\":\"admin.p12#admin secret\"}]");
    assertThat(user.exitCode()).as(user.all()).isZero();

    CliRunner.Result after = kpd().run("crypto-units", "--output", "json");
    assertThat(after.exitCode()).isZero();
    assertThat(after.out()).contains("\"state\" : \"kms-initialized\"").doesNotContain("reserved");
    assertThat(snapshot().states()).containsOnly(UnitState.KMS_INITIALIZED);
    assertThat(snapshot().units().stream().map(u -> u.checkValue().orElseThrow()).distinct())
        .hasSize(1);
    for (CliRunner.Result r : List.of(units, claim, imported, user, after)) {
      assertThat(r.all()).doesNotContain("admin secret").doesNotContain("share one");
    }
  }

  @Test
  void aUnitThatFailsIsRetriedAloneWithThePrintedCommand() {
    generateKeys();
    assertThat(kpd().run("claim", "--credential", "admin.p12#admin secret").exitCode()).isZero();
    String second = snapshot().unit(1).id();
    cloud.faults().on(Operation.IMPORT_MASTER_KEY).unit(second).times(3)
        .error(503, "SERVICE_UNAVAILABLE", "busy");

    CliRunner.Result failed = kpd().run("mk", "import", "--keyshare-files",
        "[\"s1.json#share one\",\"s2.json#share two\"]",
        "--auth", "[{\"ADMIN\":\"admin.p12#admin secret\"}]");

    assertThat(failed.exitCode()).isEqualTo(ExitCodes.PARTIAL_FAILURE);
    assertThat(failed.out()).contains("CryptoUnit with ID " + second + ": FAILED");
    assertThat(snapshot().unit(0).state()).isEqualTo(UnitState.INITIALIZED);
    assertThat(snapshot().unit(1).state()).isEqualTo(UnitState.CLAIMED);
    Matcher m = Pattern.compile("(?m)^  kpd (.*)$").matcher(failed.err());
    assertThat(m.find()).as(failed.err()).isTrue();
    String retry = m.group(1);
    assertThat(retry).endsWith("--id " + second).doesNotContain("share one")
        .doesNotContain("admin secret");
    assertThat(failed.all()).doesNotContain("share one").doesNotContain("admin secret");

    // The printed command has no passphrases; a passphrases file supplies them.
    write("pass.txt", "s1.json#share one\ns2.json#share two\nadmin.p12#admin secret\n");
    List<String> args = new java.util.ArrayList<>(ShellWords.split(retry));
    args.add("--passphrases");
    args.add("pass.txt");
    CliRunner.Result retried = kpd().run(args.toArray(String[]::new));

    assertThat(retried.exitCode()).as(retried.all()).isZero();
    assertThat(retried.out()).contains("CryptoUnit with ID " + second + ": OK")
        .doesNotContain(snapshot().unit(0).id());
    assertThat(snapshot().unit(1).state()).isEqualTo(UnitState.INITIALIZED);
    assertThat(snapshot().unit(2).state()).isEqualTo(UnitState.INITIALIZED);
  }

  @Test
  void retryableFailuresAreRetriedWithoutRealSleeps() {
    generateKeys();
    cloud.faults().on(Operation.CLAIM).unitIndex(0).times(1).error(503, "BUSY", "try later");
    CliRunner kpd = kpd();

    CliRunner.Result claim = kpd.run("claim", "--credential", "admin.p12#admin secret");

    assertThat(claim.exitCode()).as(claim.all()).isZero();
    assertThat(kpd.sleeps).hasSize(1);
    assertThat(snapshot().states()).containsOnly(UnitState.CLAIMED);
  }

  @Test
  void importWithAWrongPassphraseChangesNothing() {
    generateKeys();
    assertThat(kpd().run("claim", "--credential", "admin.p12#admin secret").exitCode()).isZero();
    Map<String, String> files = DirSnapshot.of(dir);
    List<UnitState> states = snapshot().states();
    int changes = cloud.stats().totalChanges();

    CliRunner.Result r = kpd().run("mk", "import", "--keyshare-files",
        "[\"s1.json#share one\",\"s2.json#wrong share\"]",
        "--auth", "[{\"ADMIN\":\"admin.p12#admin secret\"}]");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("s2.json");
    assertThat(r.all()).doesNotContain("wrong share");
    assertThat(DirSnapshot.of(dir)).isEqualTo(files);
    assertThat(snapshot().states()).isEqualTo(states);
    assertThat(cloud.stats().totalChanges()).isEqualTo(changes);
  }

  @Test
  void claimWithAMissingCredentialFileChangesNothing() {
    CliRunner.Result r = kpd().run("claim", "--credential", "nothere.p12#admin secret");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("nothere.p12 does not exist");
    assertThat(cloud.stats().totalChanges()).isZero();
  }

  @Test
  void claimWithAWrongAdminPassphraseSaysWhatToDoAndChangesNothing() {
    generateKeys();
    CliRunner.Result r = kpd().run("claim", "--credential", "admin.p12#not the admin secret");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString()
        .contains("admin.p12", "give the passphrase it was saved with");
    assertThat(r.all()).doesNotContain("not the admin secret").doesNotContain("admin secret");
    assertThat(cloud.stats().totalChanges()).isZero();
  }

  @Test
  void anUnknownUnitIdIsRefusedBeforeAnyUnitIsTouched() {
    generateKeys();
    CliRunner.Result r = kpd().run("claim", "--credential", "admin.p12#admin secret",
        "--id", snapshot().unit(0).id(), "--id", "no-such-unit");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("no-such-unit");
    assertThat(cloud.stats().totalChanges()).isZero();
  }

  @Test
  void instanceCreateRefusesAnotherRegionAndFourUnitsBeforeCallingTheCloud() {
    CliRunner.Result region = kpd().run("instance", "create", "kp-two", "--region", "eu-de");
    CliRunner.Result four = kpd().run("instance", "create", "kp-two", "--crypto-units", "4");

    assertThat(region.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(region.errLines()).singleElement().asString().contains("us-south");
    assertThat(four.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(four.errLines()).singleElement().asString().contains("2 or 3");
    assertThat(cloud.snapshot().instances()).hasSize(1);
    assertThat(cloud.stats().totalCalls()).isZero();
  }

  @Test
  void instanceCreateThenGetPrintsTheExportLines() {
    CliRunner.Result created = kpd().run("instance", "create", "kp-two", "--crypto-units", "2");
    assertThat(created.exitCode()).as(created.all()).isZero();
    assertThat(cloud.snapshot().instances()).hasSize(2);

    CliRunner.Result again = kpd().run("instance", "create", "kp-two");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(cloud.snapshot().instances()).hasSize(2);

    CliRunner.Result got = kpd().run("instance", "get", "kp-test");
    assertThat(got.exitCode()).isZero();
    assertThat(got.out()).contains("export KP_TARGET_ADDR=" + instance.publicEndpoint())
        .contains("export KP_INSTANCE_ID=" + instance.guid());
    CliRunner.Result json = kpd().run("instance", "get", "kp-test", "--output", "json");
    assertThat(json.out()).contains("\"guid\" : \"" + instance.guid() + "\"");
  }

  @Test
  void zeroizeAsksForConfirmationAndCancelsOnAnythingButYes() {
    generateKeys();
    assertThat(kpd().run("claim", "--credential", "admin.p12#admin secret").exitCode()).isZero();
    String unit = snapshot().unit(0).id();

    CliRunner.Result noTerminal = kpd().run("zeroize", "--id", unit);
    assertThat(noTerminal.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(noTerminal.errLines()).singleElement().asString().contains("--force");

    CliRunner.Result declined = kpd().answering("no").run("zeroize", "--id", unit);
    assertThat(declined.exitCode()).isEqualTo(ExitCodes.CANCELLED);
    assertThat(snapshot().unit(0).state()).isEqualTo(UnitState.CLAIMED);

    CliRunner.Result confirmed = kpd().answering("yes").run("zeroize", "--id", unit);
    assertThat(confirmed.exitCode()).isZero();
    assertThat(snapshot().unit(0).state()).isEqualTo(UnitState.RESERVED);
    assertThat(snapshot().unit(1).state()).isEqualTo(UnitState.CLAIMED);
  }

  @Test
  void userAddAdminAddsAFurtherAdministratorToEveryUnit() {
    generateKeys();
    assertThat(kpd().run("claim", "--credential", "admin.p12#admin secret").exitCode()).isZero();
    assertThat(kpd().run("sig-key", "generate", "--file", "second.p12", "--passphrase",
        "second secret", "--name", "second").exitCode()).isZero();

    CliRunner.Result r = kpd().run("user", "add", "--type", "admin", "--name", "second",
        "--credential", "second.p12#second secret",
        "--auth", "[{\"ADMIN\":\"admin.p12#admin secret\"}]");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(snapshot().units()).allSatisfy(u ->
        assertThat(u.users()).anyMatch(user -> user.name().equals("second")));
  }

  @Test
  void anAdminKeyNamedWithoutPassphraseIsAskedForInATerminal() {
    generateKeys();

    CliRunner.Result claim = kpd().answering("admin secret").run("claim", "--credential",
        "admin.p12");
    assertThat(claim.exitCode()).as(claim.all()).isZero();

    CliRunner.Result imported = kpd().answering("share one", "share two", "admin secret")
        .run("mk", "import", "--keyshare-files", "[\"s1.json\",\"s2.json\"]",
            "--auth", "[{\"ADMIN\":\"admin.p12\"}]");
    assertThat(imported.exitCode()).as(imported.all()).isZero();
    assertThat(snapshot().states()).containsOnly(UnitState.INITIALIZED);
  }

  @Test
  void anAdminKeyNamedWithoutPassphraseFailsInOneLineWithoutATerminal() {
    generateKeys();

    CliRunner.Result claim = kpd().run("claim", "--credential", "admin.p12");

    assertThat(claim.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(claim.errLines()).singleElement().asString()
        .contains("admin.p12 is protected by a passphrase").contains("passphraseEnv");
    assertThat(cloud.stats().totalChanges()).isZero();
  }

  @Test
  void anUnprotectedAdminKeyOpensWithoutAnyPassphrase() {
    assertThat(kpd().run("sig-key", "generate", "--file", "open.p12", "--unprotected")
        .exitCode()).isZero();

    CliRunner.Result claim = kpd().run("claim", "--credential", "open.p12");

    assertThat(claim.exitCode()).as(claim.all()).isZero();
    assertThat(snapshot().states()).containsOnly(UnitState.CLAIMED);
  }

  @Test
  void aFurtherAdministratorCanBeGivenAsAPemPublicKey() throws Exception {
    generateKeys();
    assertThat(kpd().run("claim", "--credential", "admin.p12#admin secret").exitCode()).isZero();
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    java.security.interfaces.RSAPublicKey key =
        (java.security.interfaces.RSAPublicKey) g.generateKeyPair().getPublic();
    write("second.pem", io.kpdedicated.crypto.RsaKeys.toPkcs1Pem(key));

    CliRunner.Result r = kpd().run("user", "add", "--type", "admin", "--name", "second",
        "--credential", "second.pem", "--auth", "[{\"ADMIN\":\"admin.p12#admin secret\"}]");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(snapshot().units()).allSatisfy(u ->
        assertThat(u.users()).anyMatch(user -> user.name().equals("second")));
  }

  private void write(String name, String content) {
    try {
      java.nio.file.Files.writeString(dir.resolve(name), content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
