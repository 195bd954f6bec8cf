package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KeyFileException.Reason;
import io.kpdedicated.crypto.internal.Hex;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks an admin identity makes where it enters, each on its own: name length, the
 * certificate's name, the key size of a certificate found in a PEM file, a key that cannot sign,
 * the file size cap, a destroyed identity, and every way a PKCS#12 file can fail to open (its MAC
 * cost, a missing or wrong passphrase, content that does not decrypt under a valid MAC).
 */
class AdminIdentityChecksTest {
  private static final char[] PASS = "checks-passphrase".toCharArray();
  private static final int ITERATIONS = 1000;
  private static AdminIdentity admin;
  private static PrivateKey privateKey;

  @TempDir Path dir;

  @BeforeAll
  static void shareTheTestIdentity() {
    admin = TestSupport.testAdmin().identity();
    privateKey = TestSupport.testAdmin().privateKey();
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

  private static X509Certificate certificate(String subject, PublicKey key, PrivateKey signer)
      throws Exception {
    X500Name name = new X500Name(subject);
    return new JcaX509CertificateConverter()
        .getCertificate(
            new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.TWO,
                    Date.from(Instant.parse("2025-01-01T00:00:00Z")),
                    Date.from(Instant.parse("2045-01-01T00:00:00Z")),
                    name,
                    key)
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
  }

  private static void assertKeyFileError(
      ThrowingCallable call, Reason reason, Path file, Consumer<String> message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
              assertThat(e.file()).contains(file);
              message.accept(e.getMessage());
            });
  }

  private Path unencryptedPem() throws IOException {
    Path file = dir.resolve("key.pem");
    Files.writeString(file, pem(privateKey), StandardCharsets.US_ASCII);
    return file;
  }

  @Test
  void anAdminNameOfSixtyFourCharactersIsTheLongestAccepted() throws IOException {
    Path file = unencryptedPem();
    String longest = "n".repeat(64);

    try (AdminIdentity id = AdminIdentity.loadPem(file, null, longest)) {
      assertThat(id.name()).isEqualTo(longest);
    }
    assertThatThrownBy(() -> AdminIdentity.loadPem(file, null, longest + "n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 64 characters");
  }

  @Test
  void aCertificateWithoutCommonNameNamesTheAdminByItsWholeSubject() throws Exception {
    X509Certificate cert = certificate("O=Example Org,C=DE", admin.publicKey(), privateKey);

    try (AdminIdentity id = AdminIdentity.of(privateKey, cert)) {
      assertThat(id.name()).isEqualTo(cert.getSubjectX500Principal().getName());
      assertThat(id.name()).contains("O=Example Org");
    }
  }

  @Test
  void aWeakCertificateInAPemFileIsAWeakKeyEvenBesideAStrongKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(
        new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4), TestSupport.seeded(102));
    KeyPair weak = generator.generateKeyPair();
    Path file = dir.resolve("mixed.pem");
    Files.writeString(
        file, pem(privateKey, certificate("CN=Weak", weak.getPublic(), weak.getPrivate())));

    assertKeyFileError(
        () -> AdminIdentity.loadPem(file, null, (X509Certificate) null),
        Reason.WEAK_KEY,
        file,
        m -> assertThat(m).contains("RSA-1024"));
  }

  /** A private key the Java runtime's RSA signer does not take (neither an RSA key nor usable). */
  private static final class OpaqueKey implements PrivateKey {
    private static final long serialVersionUID = 1L;

    @Override
    public String getAlgorithm() {
      return "RSA";
    }

    @Override
    public String getFormat() {
      return null;
    }

    @Override
    public byte[] getEncoded() {
      return null;
    }
  }

  @Test
  void aKeyThatCannotSignIsRefusedWithACryptoError() {
    assertThatThrownBy(() -> AdminIdentity.of(new OpaqueKey(), admin.certificate()))
        .isExactlyInstanceOf(CryptoException.class)
        .hasMessageContaining("cannot make SHA256withRSA signatures");
  }

  @Test
  void theFingerprintIsTheSha256OfThePublicKeyInfo() throws Exception {
    String expected =
        Hex.lower(MessageDigest.getInstance("SHA-256").digest(admin.publicKey().getEncoded()));

    assertThat(admin.publicKeyFingerprint()).isEqualTo(expected).hasSize(64);
  }

  @Test
  void aFileOfExactlyOneMiBIsReadAndALargerOneIsNot() throws IOException {
    Path atCap = dir.resolve("cap.p12");
    Path overCap = dir.resolve("over.p12");
    Files.write(atCap, new byte[1024 * 1024]);
    Files.write(overCap, new byte[1024 * 1024 + 1]);

    assertKeyFileError(
        () -> AdminIdentity.load(atCap, null),
        Reason.NOT_A_KEY_FILE,
        atCap,
        m -> assertThat(m).contains("is not a PKCS#12 admin identity file"));
    assertKeyFileError(
        () -> AdminIdentity.load(overCap, null),
        Reason.NOT_A_KEY_FILE,
        overCap,
        m -> assertThat(m).contains("too large"));
  }

  @Test
  void aPemFileGivenAsPkcs12IsPointedToLoadPem() throws IOException {
    Path pemFile = unencryptedPem();
    Path text = dir.resolve("notes.p12");
    Files.writeString(text, "some notes, not a key");

    assertKeyFileError(
        () -> AdminIdentity.load(pemFile, null),
        Reason.NOT_A_KEY_FILE,
        pemFile,
        m -> assertThat(m).contains("looks like PEM: load it with loadPem"));
    assertKeyFileError(
        () -> AdminIdentity.load(text, null),
        Reason.NOT_A_KEY_FILE,
        text,
        m -> assertThat(m).doesNotContain("PEM"));
  }

  @Test
  void aDestroyedIdentitySavesNothing() {
    AdminIdentity id = AdminIdentity.of(privateKey, admin.certificate());
    id.close();
    Path file = dir.resolve("destroyed.p12");

    try (Passphrase pass = Passphrase.of("destroyed-pass")) {
      assertThatThrownBy(
              () -> id.save(file, pass, false, AdminIdentity.MIN_PBKDF2_ITERATIONS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("destroyed");
    }
    assertThat(file).doesNotExist();
  }

  /**
   * A PKCS#12 file with the key bag encrypted under {@code keyPassword} and, when {@code
   * macPassword} is given, a MAC under it with {@code macIterations}.
   */
  private static byte[] pfx(char[] keyPassword, char[] macPassword, int macIterations)
      throws Exception {
    PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
    pfx.addData(new JcaPKCS12SafeBagBuilder(admin.certificate()).build());
    pfx.addData(
        new JcaPKCS12SafeBagBuilder(
                privateKey,
                Pbes2.aes256Encryptor(keyPassword, ITERATIONS, TestSupport.seeded(103)))
            .build());
    if (macPassword == null) {
      return pfx.build(null, null).getEncoded("DER");
    }
    BcPKCS12MacCalculatorBuilder mac =
        new BcPKCS12MacCalculatorBuilder(
            new SHA256Digest(),
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE));
    mac.setIterationCount(macIterations);
    return pfx.build(mac, macPassword).getEncoded("DER");
  }

  @Test
  void theMacIterationCountIsBoundedOnItsOwn() throws Exception {
    Path file = dir.resolve("mac-cost.p12");
    byte[] bytes = pfx(PASS, PASS, 3 * ITERATIONS);

    assertKeyFileError(
        () -> Pkcs12Codec.decode(file, bytes, PASS, 2 * ITERATIONS),
        Reason.TOO_COSTLY,
        file,
        m -> assertThat(m).contains((3 * ITERATIONS) + " key-derivation iterations"));
    assertThat(Pkcs12Codec.decode(file, bytes, PASS, 3 * ITERATIONS).certificate())
        .isEqualTo(admin.certificate());
  }

  @Test
  void aFileWithoutMacButWithAnEncryptedKeyNeedsItsPassphrase() throws Exception {
    Path file = dir.resolve("no-mac.p12");
    byte[] bytes = pfx(PASS, null, 0);

    assertKeyFileError(
        () -> Pkcs12Codec.decode(file, bytes, null),
        Reason.WRONG_PASSPHRASE,
        file,
        m -> assertThat(m).contains("its private key is encrypted: give its passphrase"));
    assertKeyFileError(
        () -> Pkcs12Codec.decode(file, bytes, "another-passphrase".toCharArray()),
        Reason.WRONG_PASSPHRASE,
        file,
        m -> assertThat(m).contains("its content does not decrypt with this passphrase"));
    assertThat(Pkcs12Codec.decode(file, bytes, PASS).certificate()).isEqualTo(admin.certificate());
  }

  @Test
  void contentThatDoesNotDecryptUnderAValidMacIsDamaged() throws Exception {
    Path file = dir.resolve("mixed.p12");
    byte[] bytes = pfx("key-bag-password".toCharArray(), PASS, ITERATIONS);

    assertKeyFileError(
        () -> Pkcs12Codec.decode(file, bytes, PASS),
        Reason.CORRUPT,
        file,
        m -> assertThat(m).contains("does not decrypt although its MAC is valid"));
  }
}
