package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kpdedicated.crypto.internal.Hex;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that files and encodings of this module open in {@code keytool} and OpenSSL 3, and the
 * other way round. A test is skipped only when the tool binary is missing.
 */
class ExternalToolsInteropTest {
  private static final String PASS = "interop-passphrase";
  private static final String PASS_ENV = "KPD_TEST_PASS";
  private static AdminIdentity admin;

  @TempDir Path dir;
  @TempDir static Path sharedDir;
  private static Path saved;

  @BeforeAll
  static void generateOnce() {
    admin = AdminIdentity.generate("Interop Admin", 2048, new SecureRandom());
  }

  @AfterAll
  static void destroy() {
    saved = null;
    admin.close();
  }

  private record Result(int exit, String output) {}

  private static Optional<Path> keytool() {
    Path p = Path.of(System.getProperty("java.home"), "bin", "keytool");
    return Files.isExecutable(p) ? Optional.of(p) : onPath("keytool");
  }

  private static Optional<Path> openssl() {
    return onPath("openssl");
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String folder : path.split(File.pathSeparator)) {
      Path candidate = Path.of(folder, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Path require(Optional<Path> tool, String name) {
    assumeTrue(tool.isPresent(), name + " is not installed");
    return tool.get();
  }

  private Result run(Map<String, String> env, Object... command) throws Exception {
    List<String> args = new ArrayList<>();
    for (Object c : command) {
      args.add(c.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true).directory(dir.toFile());
    pb.environment().putAll(env);
    Process process = pb.start();
    process.getOutputStream().close();
    byte[] out;
    try (InputStream in = process.getInputStream()) {
      out = in.readAllBytes();
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished: %s", args).isTrue();
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /**
   * The identity saved once with the default, full-cost protection; the tools only read it, so
   * the tests share it instead of paying the full key derivation each.
   */
  private static synchronized Path savedIdentity() {
    if (saved == null) {
      Path file = sharedDir.resolve("admin.p12");
      try (Passphrase pass = Passphrase.of(PASS)) {
        admin.save(file, pass, false);
      }
      saved = file;
    }
    return saved;
  }

  @Test
  void keytoolListsTheSavedIdentityWithTheAdminsName() throws Exception {
    Path keytool = require(keytool(), "keytool");
    Path file = savedIdentity();

    Result ok =
        run(Map.of(PASS_ENV, PASS), keytool, "-list", "-v", "-storetype", "PKCS12", "-keystore",
            file, "-storepass:env", PASS_ENV);
    assertThat(ok.exit()).as(ok.output()).isZero();
    assertThat(ok.output()).contains("PrivateKeyEntry").contains("CN=Interop Admin");

    Result wrong =
        run(Map.of(PASS_ENV, "not-the-passphrase"), keytool, "-list", "-storetype", "PKCS12",
            "-keystore", file, "-storepass:env", PASS_ENV);
    assertThat(wrong.exit()).isNotZero();
  }

  @Test
  void keytoolListsAnUnprotectedIdentityWithoutAPassword() throws Exception {
    Path keytool = require(keytool(), "keytool");
    Path file = dir.resolve("open.p12");
    admin.saveUnprotected(file, false);

    // no -storepass at all, standard input closed: keytool must not need a password
    Result list =
        run(Map.of(), keytool, "-list", "-v", "-storetype", "PKCS12", "-keystore", file);
    assertThat(list.exit()).as(list.output()).isZero();
    assertThat(list.output())
        .contains("Your keystore contains 1 entry")
        .contains("Alias name: " + Pkcs12Codec.ALIAS)
        .contains("PrivateKeyEntry")
        .contains("CN=Interop Admin");
  }

  @Test
  void opensslExtractsTheKeyOfAnUnprotectedIdentityWithAnEmptyPassword() throws Exception {
    Path openssl = require(openssl(), "openssl");
    Path file = dir.resolve("open.p12");
    admin.saveUnprotected(file, false);
    Path pem = dir.resolve("open-extracted.pem");

    Result extract =
        run(Map.of(), openssl, "pkcs12", "-in", file, "-nodes", "-passin", "pass:", "-out", pem);
    assertThat(extract.exit()).as(extract.output()).isZero();
    try (AdminIdentity fromPem = AdminIdentity.loadPem(pem, null, (X509Certificate) null);
        AdminIdentity fromFile = AdminIdentity.load(file, null)) {
      assertThat(fromPem.publicKey()).isEqualTo(admin.publicKey());
      assertThat(fromFile.publicKey()).isEqualTo(admin.publicKey());
    }
  }

  @Test
  void loadsAnIdentityThatKeytoolGenerated() throws Exception {
    Path keytool = require(keytool(), "keytool");
    Path file = dir.resolve("keytool.p12");

    Result gen =
        run(Map.of(PASS_ENV, PASS), keytool, "-genkeypair", "-alias", "admin", "-keyalg", "RSA",
            "-keysize", "2048", "-sigalg", "SHA256withRSA", "-dname", "CN=Keytool Admin",
            "-validity", "2", "-storetype", "PKCS12", "-keystore", file, "-storepass:env",
            PASS_ENV, "-keypass:env", PASS_ENV);
    assertThat(gen.exit()).as(gen.output()).isZero();

    try (Passphrase pass = Passphrase.of(PASS);
        AdminIdentity loaded = AdminIdentity.load(file, pass)) {
      assertThat(loaded.name()).isEqualTo("Keytool Admin");
      byte[] msg = {4, 5, 6};
      assertThat(RsaKeys.verify(loaded.publicKey(), msg, loaded.sign(msg))).isTrue();
    }
  }

  @Test
  void opensslOpensTheSavedIdentityAndReportsItsProtection() throws Exception {
    Path openssl = require(openssl(), "openssl");
    Path file = savedIdentity();

    Result info =
        run(Map.of(PASS_ENV, PASS), openssl, "pkcs12", "-info", "-nokeys", "-in", file, "-passin",
            "env:" + PASS_ENV);
    assertThat(info.exit()).as(info.output()).isZero();
    assertThat(info.output())
        .containsPattern("subject=\\s*/?CN\\s?=\\s?Interop Admin")
        .contains("MAC: sha256, Iteration " + AdminIdentity.DEFAULT_PBKDF2_ITERATIONS)
        .contains("PBES2, PBKDF2, AES-256-CBC, Iteration " + AdminIdentity.DEFAULT_PBKDF2_ITERATIONS)
        .contains("hmacWithSHA256");

    Result wrong =
        run(Map.of(PASS_ENV, "not-the-passphrase"), openssl, "pkcs12", "-info", "-nokeys", "-in",
            file, "-passin", "env:" + PASS_ENV);
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.output()).containsIgnoringCase("mac verify error");
  }

  @Test
  void opensslDecryptsThePrivateKeyWhichThenLoadsAsTheSameIdentity() throws Exception {
    Path openssl = require(openssl(), "openssl");
    Path file = savedIdentity();
    Path pem = dir.resolve("extracted.pem");

    Result extract =
        run(Map.of(PASS_ENV, PASS), openssl, "pkcs12", "-in", file, "-nodes", "-passin",
            "env:" + PASS_ENV, "-out", pem);
    assertThat(extract.exit()).as(extract.output()).isZero();

    try (AdminIdentity fromPem =
        AdminIdentity.loadPem(pem, null, (X509Certificate) null)) {
      assertThat(fromPem.publicKey()).isEqualTo(admin.publicKey());
      assertThat(fromPem.name()).isEqualTo("Interop Admin");
    }
  }

  @Test
  void loadsAPkcs12FileAndAnEncryptedPkcs8KeyWrittenByOpenssl() throws Exception {
    Path openssl = require(openssl(), "openssl");
    Result req =
        run(Map.of(), openssl, "req", "-x509", "-newkey", "rsa:2048", "-keyout", "key.pem", "-out",
            "cert.pem", "-subj", "/CN=OpenSSL Admin", "-days", "2", "-nodes");
    assertThat(req.exit()).as(req.output()).isZero();
    Result export =
        run(Map.of(PASS_ENV, PASS), openssl, "pkcs12", "-export", "-inkey", "key.pem", "-in",
            "cert.pem", "-out", "openssl.p12", "-passout", "env:" + PASS_ENV);
    assertThat(export.exit()).as(export.output()).isZero();
    Result pkcs8 =
        run(Map.of(PASS_ENV, PASS), openssl, "pkcs8", "-topk8", "-in", "key.pem", "-out",
            "key-enc.pem", "-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256", "-passout",
            "env:" + PASS_ENV);
    assertThat(pkcs8.exit()).as(pkcs8.output()).isZero();

    X509Certificate cert;
    try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    try (Passphrase pass = Passphrase.of(PASS);
        AdminIdentity fromP12 = AdminIdentity.load(dir.resolve("openssl.p12"), pass);
        AdminIdentity fromPem = AdminIdentity.loadPem(dir.resolve("key-enc.pem"), pass, cert)) {
      assertThat(fromP12.name()).isEqualTo("OpenSSL Admin");
      assertThat(fromP12.publicKey()).isEqualTo(cert.getPublicKey());
      assertThat(fromPem.publicKey()).isEqualTo(cert.getPublicKey());
      byte[] msg = {1, 2, 3};
      assertThat(RsaKeys.verify((RSAPublicKey) cert.getPublicKey(), msg, fromPem.sign(msg))).isTrue();
    }
  }

  @Test
  void aPkcs8KeyEncryptedWithAnUnsupportedSchemeIsReportedAsSuchNotAsAWrongPassphrase()
      throws Exception {
    Path openssl = require(openssl(), "openssl");
    Result req =
        run(Map.of(), openssl, "req", "-x509", "-newkey", "rsa:2048", "-keyout", "key.pem", "-out",
            "cert.pem", "-subj", "/CN=Scrypt Admin", "-days", "2", "-nodes");
    assertThat(req.exit()).as(req.output()).isZero();
    Result pkcs8 =
        run(Map.of(PASS_ENV, PASS), openssl, "pkcs8", "-topk8", "-in", "key.pem", "-out",
            "key-scrypt.pem", "-scrypt", "-passout", "env:" + PASS_ENV);
    assertThat(pkcs8.exit()).as(pkcs8.output()).isZero();
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    Path pem = dir.resolve("key-scrypt.pem");

    KeyFileException e;
    try (Passphrase pass = Passphrase.of(PASS)) {
      e = org.assertj.core.api.Assertions.catchThrowableOfType(KeyFileException.class,
          () -> AdminIdentity.loadPem(pem, pass, cert));
    }

    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(KeyFileException.Reason.NOT_A_KEY_FILE);
    assertThat(e.file()).contains(pem);
    assertThat(e.getMessage()).contains("unsupported").contains("re-encrypt").doesNotContain(PASS);
  }

  @Test
  void opensslReadsThePkcs1PemAndUnwrapsOurOaepCiphertext() throws Exception {
    Path openssl = require(openssl(), "openssl");
    Result req =
        run(Map.of(), openssl, "req", "-x509", "-newkey", "rsa:2048", "-keyout", "unit-key.pem",
            "-out", "unit-cert.pem", "-subj", "/CN=unit", "-days", "2", "-nodes");
    assertThat(req.exit()).as(req.output()).isZero();
    RSAPublicKey unitKey;
    try (InputStream in = Files.newInputStream(dir.resolve("unit-cert.pem"))) {
      unitKey =
          (RSAPublicKey)
              CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey();
    }

    Files.writeString(dir.resolve("unit-pub.pem"), RsaKeys.toPkcs1Pem(unitKey));
    Result modulus =
        run(Map.of(), openssl, "rsa", "-RSAPublicKey_in", "-in", "unit-pub.pem", "-noout",
            "-modulus");
    assertThat(modulus.exit()).as(modulus.output()).isZero();
    String mod = RsaKeys.toModExpText(unitKey).lines().findFirst().orElseThrow().substring(4);
    assertThat(modulus.output().strip()).isEqualTo("Modulus=" + mod);

    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Files.write(dir.resolve("wrapped.bin"), RsaKeys.wrapOaep(unitKey, secret));
    Result unwrap =
        run(Map.of(), openssl, "pkeyutl", "-decrypt", "-inkey", "unit-key.pem", "-in",
            "wrapped.bin", "-out", "unwrapped.bin", "-pkeyopt", "rsa_padding_mode:oaep",
            "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256");
    assertThat(unwrap.exit()).as(unwrap.output()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("unwrapped.bin"))).isEqualTo(secret);
  }

  @Test
  void opensslCmacGivesTheSameKeyCheckValue() throws Exception {
    Path openssl = require(openssl(), "openssl");
    byte[] key = new byte[32];
    TestSupport.seeded(77).nextBytes(key);
    Path zeros = dir.resolve("zeros.bin");
    Files.write(zeros, new byte[16]);

    Result mac =
        run(Map.of(), openssl, "mac", "-cipher", "AES-256-CBC", "-macopt",
            "hexkey:" + Hex.lower(key), "-in", zeros, "CMAC");
    assertThat(mac.exit()).as(mac.output()).isZero();
    assertThat(mac.output().strip().substring(0, 10)).isEqualTo(KeyCheckValue.of(key).hex());
  }
}
