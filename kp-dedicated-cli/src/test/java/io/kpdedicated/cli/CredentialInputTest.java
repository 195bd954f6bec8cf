package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --credential} and {@code --auth} accept: what the library accepts, PEM from openssl
 * included; RSA keys under 2048 bits refused in kpd's words; library remediations in CLI words.
 * The openssl cases run the real tool and are skipped only when it is not installed.
 */
class CredentialInputTest {
  private static final String PASS = "openssl key passphrase";

  @TempDir Path dir;

  private InMemoryDedicatedCloud cloud;
  private ServiceInstance instance;

  @BeforeEach
  void startCloud() {
    cloud = InMemoryDedicatedCloud.builder().seed(21).build();
    instance = cloud.arrange().activeInstance(new InstanceRequest("kp-cred", "us-south", null, 2));
  }

  private CliRunner kpd() {
    CliRunner r = new CliRunner(dir);
    r.transports = settings -> InMemoryTransport.over(cloud);
    r.env.put(Env.API_KEY, "test-api-key");
    r.env.put(Env.TARGET_ADDR, instance.publicEndpoint().toString());
    r.env.put(Env.INSTANCE_ID, instance.guid());
    r.env.put("PEM_PASS", PASS);
    return r;
  }

  private static Optional<Path> tool(String name) {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(folder, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static Path openssl() {
    Optional<Path> openssl = tool("openssl");
    assumeTrue(openssl.isPresent(), "openssl is not installed");
    return openssl.get();
  }

  private String run(Object... args) throws Exception {
    List<String> command = new ArrayList<>();
    for (Object a : args) {
      command.add(a.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true);
    pb.environment().put("PEM_PASS", PASS);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }

  /** {@code openssl genrsa} then {@code openssl pkcs8 -topk8 -v2 aes-256-cbc}. */
  private Path opensslEncryptedPem(int bits, String name) throws Exception {
    Path openssl = openssl();
    run(openssl, "genrsa", "-out", name + "-plain.pem", bits);
    run(openssl, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", name + "-plain.pem", "-out",
        name + ".pem", "-passout", "env:PEM_PASS");
    return dir.resolve(name + ".pem");
  }

  @Test
  void initTakesAnOpensslPkcs8Aes256PemAsItsCredential() throws Exception {
    Path pem = opensslEncryptedPem(2048, "admin");
    assertThat(Files.readString(pem)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

    CliRunner.Result r = kpd().run("init", "--out", "run", "--credential",
        pem.getFileName() + "#" + PASS);

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(cloud.snapshot(instance.guid()).states()).containsOnly(UnitState.KMS_INITIALIZED);
    assertThat(r.all()).doesNotContain(PASS);
    assertThat(dir.resolve("run/admin.p12")).doesNotExist();
  }

  @Test
  void claimAndAuthTakeOpensslPemsWithThePassphraseFromTheEnvironmentOrNone() throws Exception {
    Path pem = opensslEncryptedPem(2048, "admin");
    Path plain = dir.resolve("admin-plain.pem");

    CliRunner.Result claim = kpd().run("claim", "--credential", pem.toString(),
        "--passphrase-env", "PEM_PASS");
    assertThat(claim.exitCode()).as(claim.all()).isZero();
    CliRunner.Result user = kpd().run("user", "add", "--type", "kmsCryptoUser", "--auth",
        "[{\"ADMIN\":\"" + plain + "\"}]");

    assertThat(user.exitCode()).as(user.all()).isZero();
    assertThat(user.out()).contains("Executing operation user add kmsCryptoUser")
        .doesNotContain("FAILED");
  }

  @Test
  void anEncryptedPemWithoutAPassphraseSaysHowToGiveOne() throws Exception {
    Path pem = opensslEncryptedPem(2048, "admin");

    CliRunner.Result r = kpd().run("claim", "--credential", pem.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains(pem.toString())
        .contains("passphrase");
  }

  @Test
  void rsaKeysUnder2048BitsAreRefusedWithTheReasonInKpdsWords() throws Exception {
    Path weakPem = opensslEncryptedPem(1024, "weak");
    Path weakPublic = dir.resolve("weak-public.pem");
    run(openssl(), "rsa", "-in", "weak-plain.pem", "-pubout", "-out", weakPublic);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path weakP12 = dir.resolve("weak.p12");
    run(keytool, "-genkeypair", "-keyalg", "RSA", "-keysize", "1024", "-alias", "weak",
        "-dname", "CN=weak", "-storetype", "PKCS12", "-keystore", weakP12, "-storepass",
        "weak-store-pass", "-keypass", "weak-store-pass");
    assertThat(kpd().run("sig-key", "generate", "--file", "admin.p12", "--passphrase",
        "admin secret").exitCode()).isZero();
    Map<String, String> before = DirSnapshot.of(dir);

    List<CliRunner.Result> refused = List.of(
        kpd().run("init", "--out", "run", "--credential", weakPem + "#" + PASS),
        kpd().run("init", "--out", "run", "--credential", weakP12 + "#weak-store-pass"),
        kpd().run("claim", "--credential", weakP12 + "#weak-store-pass"),
        kpd().run("user", "add", "--type", "admin", "--name", "second", "--credential",
            weakPublic.toString(), "--auth", "[{\"ADMIN\":\"admin.p12#admin secret\"}]"),
        kpd().run("user", "add", "--type", "admin", "--name", "second", "--credential",
            weakP12 + "#weak-store-pass", "--auth", "[{\"ADMIN\":\"admin.p12#admin secret\"}]"));

    for (CliRunner.Result r : refused) {
      assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(r.errLines()).as(r.all()).singleElement().asString().startsWith("error: ")
          .contains("RSA-1024").contains("2048")
          .doesNotContain("checkKeySize").doesNotContain("Exception");
      assertThat(r.all()).doesNotContain(PASS).doesNotContain("weak-store-pass");
    }
    assertThat(refused.get(0).err()).contains("kpd sig-key generate");
    assertThat(DirSnapshot.of(dir)).isEqualTo(before);
    assertThat(cloud.stats().totalChanges()).isZero();
  }

  @Test
  void aUnitClaimedByAnotherAdministratorIsExplainedWithKpdFlags() {
    assertThat(kpd().run("sig-key", "generate", "--file", "first.p12", "--passphrase",
        "first secret").exitCode()).isZero();
    assertThat(kpd().run("claim", "--credential", "first.p12#first secret").exitCode())
        .isZero();

    CliRunner.Result r = kpd().run("init", "--out", "second");

    assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.PARTIAL_FAILURE);
    assertThat(r.all()).contains("claimed by a different administrator")
        .contains("--credential")
        .doesNotContain("AdminIdentitySource").doesNotContain("MasterKeySource")
        .doesNotContain("loadPem").doesNotContain(".load(");
  }

  @Test
  void anUnprotectedKeyIsListedByKeytoolAsKpdSays() throws Exception {
    CliRunner.Result r = kpd().run("sig-key", "generate", "--file", "open.p12", "--unprotected");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("UNPROTECTED").contains("keytool -list -storetype PKCS12");

    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    String listed = run(keytool, "-list", "-storetype", "PKCS12", "-keystore", "open.p12");

    assertThat(listed).contains("1 entry").contains("PrivateKeyEntry");
  }
}
