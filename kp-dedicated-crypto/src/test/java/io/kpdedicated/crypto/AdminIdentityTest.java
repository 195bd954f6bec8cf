package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KeyFileException.Reason;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminIdentityTest {
  private static final int FAST_ITERATIONS = AdminIdentity.MIN_PBKDF2_ITERATIONS;
  private static AdminIdentity admin;
  private static AdminIdentity other;

  @TempDir Path dir;

  @BeforeAll
  static void generateOnce() {
    admin =
        AdminIdentity.generate("Jane Admin", 2048, TestSupport.seeded(1), TestSupport.FIXED_CLOCK);
    other = AdminIdentity.generate("Other", 2048, TestSupport.seeded(2));
  }

  @AfterAll
  static void destroy() {
    admin.close();
    other.close();
  }

  private static String pem(Object... objects) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        writer.writeObject(o);
      }
    }
    return out.toString();
  }

  private String encryptedPkcs8Pem(AdminIdentity id, String passphrase) throws Exception {
    JceOpenSSLPKCS8EncryptorBuilder encryptor =
        new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
            .setProvider(new BouncyCastleProvider())
            .setPRF(PKCS8Generator.PRF_HMACSHA256)
            .setIterationCount(10_000)
            .setPassword(passphrase.toCharArray());
    return pem(new JcaPKCS8Generator(privateKeyOf(id), encryptor.build()));
  }

  private static java.security.PrivateKey privateKeyOf(AdminIdentity id) throws IOException {
    // Round-trip through an unprotected file to reach the private key from outside the class.
    Path tmp = Files.createTempFile("id", ".p12");
    try {
      id.saveUnprotected(tmp, true);
      byte[] bytes = Files.readAllBytes(tmp);
      return Pkcs12Codec.decode(tmp, bytes, null).privateKey();
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Test
  void generatesAnRsa2048KeyWithASelfSignedCertificateNamingTheAdmin() throws Exception {
    X509Certificate cert = admin.certificate();

    assertThat(admin.name()).isEqualTo("Jane Admin");
    assertThat(admin.rsaBits()).isEqualTo(2048);
    assertThat(admin.publicKey().getPublicExponent().intValue()).isEqualTo(65537);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=Jane Admin");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    cert.verify(admin.publicKey());
    cert.checkValidity(Date.from(Instant.parse("2025-01-02T03:04:05Z")));
    cert.checkValidity(Date.from(Instant.parse("2044-01-01T00:00:00Z")));
    assertThat(cert.getPublicKey()).isEqualTo(admin.publicKey());
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getKeyUsage()[0]).isTrue();
  }

  @Test
  void generatesLargerKeysAndRejectsOtherSizesAndBadNames() {
    try (AdminIdentity big = AdminIdentity.generate("big", 3072, new SecureRandom())) {
      assertThat(big.rsaBits()).isEqualTo(3072);
    }
    try (AdminIdentity bigger = AdminIdentity.generate("bigger", 4096, new SecureRandom())) {
      assertThat(bigger.rsaBits()).isEqualTo(4096);
      assertThat(bigger.publicKeyModExpText()).matches("MOD=[0-9A-F]{1024}\nPEXP=010001\n");
    }
    assertThatThrownBy(() -> AdminIdentity.generate("x", 1024, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2048, 3072 or 4096");
    assertThatThrownBy(() -> AdminIdentity.generate(" ", 2048, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AdminIdentity.generate("a".repeat(65), 2048, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNameWithCommasAndEqualsSignsStaysOneCommonName() {
    try (AdminIdentity odd =
        AdminIdentity.generate("Doe, John=admin+ops", 2048, TestSupport.seeded(3))) {
      assertThat(odd.name()).isEqualTo("Doe, John=admin+ops");
    }
  }

  @Test
  void savesAnOwnerOnlyPkcs12FileAndLoadsItBack() throws IOException {
    Path file = dir.resolve("admin.p12");
    try (Passphrase pass = Passphrase.of("correct horse")) {
      admin.save(file, pass, false, FAST_ITERATIONS);

      if (SecureFiles.isPosix(dir)) {
        assertThat(Files.getPosixFilePermissions(file))
            .containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      }
      try (AdminIdentity loaded = AdminIdentity.load(file, pass)) {
        assertThat(loaded.name()).isEqualTo("Jane Admin");
        assertThat(loaded.publicKey()).isEqualTo(admin.publicKey());
        assertThat(loaded.certificate()).isEqualTo(admin.certificate());
        byte[] message = "claim unit 1".getBytes(StandardCharsets.UTF_8);
        assertThat(RsaKeys.verify(admin.publicKey(), message, loaded.sign(message))).isTrue();
      }
    }
  }

  @Test
  void neverOverwritesAnExistingIdentityFileUnlessAsked() throws IOException {
    Path file = dir.resolve("admin.p12");
    Files.writeString(file, "existing");
    try (Passphrase pass = Passphrase.of("correct horse")) {
      assertThatThrownBy(() -> admin.save(file, pass, false, FAST_ITERATIONS))
          .isInstanceOfSatisfying(
              KeyFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));
      assertThat(Files.readString(file)).isEqualTo("existing");

      admin.save(file, pass, true, FAST_ITERATIONS);
      assertThat(AdminIdentity.load(file, pass).publicKey()).isEqualTo(admin.publicKey());
    }
  }

  @Test
  void aWrongOrMissingPassphraseIsReported() throws IOException {
    Path file = dir.resolve("admin.p12");
    try (Passphrase pass = Passphrase.of("correct horse");
        Passphrase wrong = Passphrase.of("wrong horse")) {
      admin.save(file, pass, false, FAST_ITERATIONS);

      assertThatThrownBy(() -> AdminIdentity.load(file, wrong))
          .isInstanceOfSatisfying(
              KeyFileException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSPHRASE);
                assertThat(e.getMessage()).contains(file.toString());
              });
      assertThatThrownBy(() -> AdminIdentity.load(file, null))
          .isInstanceOfSatisfying(
              KeyFileException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSPHRASE);
                assertThat(e.getMessage()).contains("give its passphrase");
              });
    }
  }

  @Test
  void savesWithoutPassphraseOnlyWhenAskedExplicitly() throws IOException {
    Path file = dir.resolve("open.p12");
    admin.saveUnprotected(file, false);

    try (AdminIdentity loaded = AdminIdentity.load(file, null)) {
      assertThat(loaded.publicKey()).isEqualTo(admin.publicKey());
      assertThat(loaded.name()).isEqualTo("Jane Admin");
    }
    assertThatThrownBy(() -> admin.save(file, null, true))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void stillLoadsAnUnprotectedFileWithAPlainKeyBagAsEarlierVersionsWroteIt() throws Exception {
    java.security.PrivateKey key = privateKeyOf(admin);
    org.bouncycastle.pkcs.PKCS12SafeBagBuilder keyBag =
        new org.bouncycastle.pkcs.PKCS12SafeBagBuilder(
            org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded()));
    org.bouncycastle.pkcs.PKCS12PfxPduBuilder pfx = new org.bouncycastle.pkcs.PKCS12PfxPduBuilder();
    pfx.addData(new org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder(admin.certificate()).build());
    pfx.addData(keyBag.build());
    Path file = dir.resolve("plain-bag.p12");
    Files.write(file, pfx.build(null, null).getEncoded("DER"));

    try (AdminIdentity loaded = AdminIdentity.load(file, null)) {
      assertThat(loaded.publicKey()).isEqualTo(admin.publicKey());
    }
  }

  @Test
  void anUnprotectedFileKeepsItsKeyInAnEncryptedBagUnderTheEmptyPasswordAndHasNoMac()
      throws Exception {
    Path file = dir.resolve("open-layout.p12");
    admin.saveUnprotected(file, false);
    org.bouncycastle.pkcs.PKCS12PfxPdu pfx =
        new org.bouncycastle.pkcs.PKCS12PfxPdu(Files.readAllBytes(file));

    assertThat(pfx.hasMac()).isFalse();
    java.util.List<Object> values = new java.util.ArrayList<>();
    for (org.bouncycastle.asn1.pkcs.ContentInfo info : pfx.getContentInfos()) {
      for (org.bouncycastle.pkcs.PKCS12SafeBag bag :
          new org.bouncycastle.pkcs.PKCS12SafeBagFactory(info).getSafeBags()) {
        values.add(bag.getBagValue());
      }
    }
    assertThat(values)
        .hasAtLeastOneElementOfType(org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo.class)
        .noneMatch(v -> v instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo);
  }

  @Test
  void filesThatAreNoIdentityAreReported() throws IOException {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "hello");
    Path missing = dir.resolve("missing.p12");

    assertThatThrownBy(() -> AdminIdentity.load(text, null))
        .isInstanceOfSatisfying(
            KeyFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_KEY_FILE));
    assertThatThrownBy(() -> AdminIdentity.load(missing, null))
        .isInstanceOfSatisfying(
            KeyFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_READABLE));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"PBES2 3DES HmacSHA1", "PBES2 AES-128 HmacSHA512", "PKCS12 SHA1 3DES"})
  void loadsEncryptedPkcs8PemKeysOfOtherCommonSchemes(String scheme) throws Exception {
    org.bouncycastle.operator.OutputEncryptor encryptor =
        switch (scheme) {
          case "PBES2 3DES HmacSHA1" -> new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.DES3_CBC)
              .setProvider(new BouncyCastleProvider())
              .setPRF(PKCS8Generator.PRF_HMACSHA1)
              .setIterationCount(2048)
              .setPassword("other-scheme".toCharArray())
              .build();
          case "PBES2 AES-128 HmacSHA512" ->
              new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_128_CBC)
                  .setProvider(new BouncyCastleProvider())
                  .setPRF(PKCS8Generator.PRF_HMACSHA512)
                  .setIterationCount(2048)
                  .setPassword("other-scheme".toCharArray())
                  .build();
          default -> new org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder(
                  org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers
                      .pbeWithSHAAnd3_KeyTripleDES_CBC)
              .setProvider(new BouncyCastleProvider())
              .build("other-scheme".toCharArray());
        };
    Path pemFile = dir.resolve("other-scheme.pem");
    Files.writeString(pemFile, pem(new JcaPKCS8Generator(privateKeyOf(admin), encryptor)));

    assertPemOpensOnlyWith(pemFile, "other-scheme");
  }

  @Test
  void loadsATraditionalOpensslEncryptedPemKey() throws Exception {
    java.security.interfaces.RSAPrivateCrtKey key =
        (java.security.interfaces.RSAPrivateCrtKey) privateKeyOf(admin);
    java.security.KeyPair pair = new java.security.KeyPair(admin.publicKey(), key);
    Path pemFile = dir.resolve("admin-rsa.pem");
    Files.writeString(
        pemFile,
        pem(
            new org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator(
                pair,
                new org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(new BouncyCastleProvider())
                    .build("traditional-pass".toCharArray()))));
    assertThat(Files.readString(pemFile)).contains("DEK-Info: AES-128-CBC");

    assertPemOpensOnlyWith(pemFile, "traditional-pass");
  }

  /** The PEM key loads as the admin's (it signs verifiably) with its passphrase, and no other. */
  private static void assertPemOpensOnlyWith(Path pemFile, String passphrase) {
    try (Passphrase pass = Passphrase.of(passphrase);
        AdminIdentity loaded = AdminIdentity.loadPem(pemFile, pass, admin.certificate())) {
      byte[] msg = {4, 5, 6};
      assertThat(RsaKeys.verify(admin.publicKey(), msg, loaded.sign(msg))).isTrue();
    }
    try (Passphrase wrong = Passphrase.of("not-the-pass")) {
      assertThatThrownBy(() -> AdminIdentity.loadPem(pemFile, wrong, admin.certificate()))
          .isInstanceOfSatisfying(
              KeyFileException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSPHRASE));
    }
  }

  @Test
  void loadsAnEncryptedPkcs8PemWithTheGivenCertificateOrANewSelfSignedOne() throws Exception {
    Path pemFile = dir.resolve("admin-key.pem");
    Files.writeString(pemFile, encryptedPkcs8Pem(admin, "pem-passphrase"));
    assertThat(Files.readString(pemFile)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

    try (Passphrase pass = Passphrase.of("pem-passphrase")) {
      try (AdminIdentity withCert = AdminIdentity.loadPem(pemFile, pass, admin.certificate())) {
        assertThat(withCert.name()).isEqualTo("Jane Admin");
        byte[] msg = {1, 2, 3};
        assertThat(RsaKeys.verify(admin.publicKey(), msg, withCert.sign(msg))).isTrue();
      }
      try (AdminIdentity selfSigned = AdminIdentity.loadPem(pemFile, pass, "Pem Admin")) {
        assertThat(selfSigned.name()).isEqualTo("Pem Admin");
        assertThat(selfSigned.publicKey()).isEqualTo(admin.publicKey());
      }
      assertThatThrownBy(() -> AdminIdentity.loadPem(pemFile, pass, other.certificate()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not belong");
      assertThatThrownBy(() -> AdminIdentity.loadPem(pemFile, pass, (X509Certificate) null))
          .isInstanceOfSatisfying(
              KeyFileException.class,
              e -> assertThat(e.getMessage()).contains("holds no certificate"));
    }
    try (Passphrase wrong = Passphrase.of("not-it-at-all")) {
      assertThatThrownBy(() -> AdminIdentity.loadPem(pemFile, wrong, admin.certificate()))
          .isInstanceOfSatisfying(
              KeyFileException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSPHRASE));
    }
    assertThatThrownBy(() -> AdminIdentity.loadPem(pemFile, null, admin.certificate()))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSPHRASE));
  }

  @Test
  void takesTheCertificateFromThePemFileWhenNoneIsGiven() throws Exception {
    Path pemFile = dir.resolve("admin.pem");
    Files.writeString(pemFile, pem(privateKeyOf(admin), admin.certificate()));

    try (AdminIdentity loaded = AdminIdentity.loadPem(pemFile, null, (X509Certificate) null)) {
      assertThat(loaded.name()).isEqualTo("Jane Admin");
      assertThat(loaded.publicKey()).isEqualTo(admin.publicKey());
    }
  }

  @Test
  void acceptsAnyJcaPrivateKeyThatMatchesTheCertificate() throws Exception {
    java.security.PrivateKey key = privateKeyOf(admin);

    try (AdminIdentity wrapped = AdminIdentity.of(key, admin.certificate())) {
      assertThat(wrapped.name()).isEqualTo("Jane Admin");
      byte[] msg = {9};
      assertThat(RsaKeys.verify(admin.publicKey(), msg, wrapped.sign(msg))).isTrue();
    }
    assertThatThrownBy(() -> AdminIdentity.of(key, other.certificate()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signaturesVerifyOnlyForTheSignedMessageAndKey() {
    byte[] message = "POST /claim".getBytes(StandardCharsets.UTF_8);
    byte[] signature = admin.sign(message);

    assertThat(RsaKeys.verify(admin.publicKey(), message, signature)).isTrue();
    assertThat(RsaKeys.verify(admin.publicKey(), "POST /claim!".getBytes(StandardCharsets.UTF_8), signature))
        .isFalse();
    assertThat(RsaKeys.verify(other.publicKey(), message, signature)).isFalse();
    assertThat(RsaKeys.verify(admin.publicKey(), message, new byte[3])).isFalse();
  }

  @Test
  void aDestroyedIdentityNoLongerSigns() {
    AdminIdentity id = AdminIdentity.of(privateKeyOfUnchecked(other), other.certificate());
    id.close();

    assertThat(id.isDestroyed()).isTrue();
    assertThatThrownBy(() -> id.sign(new byte[1])).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> id.saveUnprotected(dir.resolve("x.p12"), false))
        .isInstanceOf(IllegalStateException.class);
  }

  private static java.security.PrivateKey privateKeyOfUnchecked(AdminIdentity id) {
    try {
      return privateKeyOf(id);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void exportsThePublicKeyAsPkcs1PemAndModulusExponentText() {
    String pem = admin.publicKeyPkcs1Pem();

    assertThat(pem).startsWith("-----BEGIN RSA PUBLIC KEY-----\n");
    assertThat(pem).endsWith("-----END RSA PUBLIC KEY-----\n");
    assertThat(pem).doesNotContain("\r");
    String[] lines = pem.split("\n");
    for (int i = 1; i < lines.length - 2; i++) {
      assertThat(lines[i]).hasSize(64);
    }
    assertThat(lines[lines.length - 2].length()).isBetween(1, 64);
    assertThat(RsaKeys.fromPem(pem)).isEqualTo(admin.publicKey());

    String modExp = admin.publicKeyModExpText();
    assertThat(modExp).matches("MOD=[0-9A-F]{512}\nPEXP=010001\n");
    assertThat(new java.math.BigInteger(modExp.substring(4, 516), 16))
        .isEqualTo(admin.publicKey().getModulus());
  }

  @Test
  void toStringShowsNameAndFingerprintOnly() {
    assertThat(admin.toString())
        .contains("Jane Admin")
        .contains("rsaBits=2048")
        .contains(admin.publicKeyFingerprint())
        .doesNotContain("PRIVATE");
  }
}
