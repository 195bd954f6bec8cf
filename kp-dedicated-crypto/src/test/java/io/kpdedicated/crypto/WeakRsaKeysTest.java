package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KeyFileException.Reason;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RSA keys under {@link RsaKeys#MIN_RSA_BITS} bits are refused wherever a key enters. */
class WeakRsaKeysTest {
  @TempDir Path dir;

  private static KeyPair pair(int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(
        new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), TestSupport.seeded(bits));
    return generator.generateKeyPair();
  }

  private static X509Certificate selfSigned(KeyPair pair) throws Exception {
    X500Name name = new X500Name("CN=Weak Admin");
    return new JcaX509CertificateConverter()
        .getCertificate(
            new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.ONE,
                    Date.from(Instant.parse("2025-01-01T00:00:00Z")),
                    Date.from(Instant.parse("2045-01-01T00:00:00Z")),
                    name,
                    pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
  }

  private static String pem(Object... objects) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        writer.writeObject(o);
      }
    }
    return out.toString();
  }

  private static void assertWeakKeyFile(ThrowingCallable call, Path file, int bits) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.WEAK_KEY);
              assertThat(e.file()).contains(file);
              assertThat(e.getMessage())
                  .contains(file.toString())
                  .contains("RSA-" + bits)
                  .contains("2048");
            });
  }

  @ParameterizedTest(name = "RSA-{0}")
  @ValueSource(ints = {512, 1024})
  void aWeakKeyInAPkcs12FileIsRefusedProtectedOrNot(int bits) throws Exception {
    KeyPair pair = pair(bits);
    X509Certificate cert = selfSigned(pair);
    Path protectedFile = dir.resolve("weak.p12");
    Path unprotectedFile = dir.resolve("weak-open.p12");
    Files.write(
        protectedFile,
        Pkcs12Codec.encode(
            pair.getPrivate(), cert, "weak-pass".toCharArray(),
            AdminIdentity.MIN_PBKDF2_ITERATIONS, TestSupport.seeded(3)));
    Files.write(
        unprotectedFile,
        Pkcs12Codec.encode(pair.getPrivate(), cert, null, 0, TestSupport.seeded(4)));

    try (Passphrase pass = Passphrase.of("weak-pass")) {
      assertWeakKeyFile(() -> AdminIdentity.load(protectedFile, pass), protectedFile, bits);
    }
    assertWeakKeyFile(() -> AdminIdentity.load(unprotectedFile, null), unprotectedFile, bits);
  }

  @ParameterizedTest(name = "RSA-{0}")
  @ValueSource(ints = {512, 1024})
  void aWeakKeyInAPemFileIsRefusedWithOrWithoutItsCertificate(int bits) throws Exception {
    KeyPair pair = pair(bits);
    X509Certificate cert = selfSigned(pair);
    Path keyOnly = dir.resolve("weak-key.pem");
    Path keyAndCert = dir.resolve("weak-both.pem");
    Files.writeString(keyOnly, pem(pair.getPrivate()));
    Files.writeString(keyAndCert, pem(pair.getPrivate(), cert));

    assertWeakKeyFile(() -> AdminIdentity.loadPem(keyOnly, null, "Weak Admin"), keyOnly, bits);
    assertWeakKeyFile(() -> AdminIdentity.loadPem(keyOnly, null, cert), keyOnly, bits);
    assertWeakKeyFile(
        () -> AdminIdentity.loadPem(keyAndCert, null, (X509Certificate) null), keyAndCert, bits);
  }

  @ParameterizedTest(name = "RSA-{0}")
  @ValueSource(ints = {512, 1024})
  void aWeakJcaKeyIsRefusedAndAWeakSizeCannotBeGenerated(int bits) throws Exception {
    KeyPair pair = pair(bits);
    X509Certificate cert = selfSigned(pair);

    assertThatThrownBy(() -> AdminIdentity.of(pair.getPrivate(), cert))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RSA-" + bits)
        .hasMessageContaining("too weak")
        .hasMessageContaining("2048, 3072 or 4096");
    assertThatThrownBy(() -> AdminIdentity.generate("x", bits, TestSupport.seeded(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too weak");
  }

  @ParameterizedTest(name = "RSA-{0}")
  @ValueSource(ints = {512, 1024})
  void aWeakPublicKeyIsRefusedWhenParsedFromPem(int bits) throws Exception {
    RSAPublicKey key = (RSAPublicKey) pair(bits).getPublic();

    for (String text : new String[] {RsaKeys.toPkcs1Pem(key), RsaKeys.toSpkiPem(key)}) {
      assertThatThrownBy(() -> RsaKeys.fromPem(text))
          .isInstanceOf(CryptoException.class)
          .hasMessageContaining("RSA-" + bits)
          .hasMessageContaining("too weak");
    }
    assertThatThrownBy(() -> RsaKeys.checkKeySize(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least " + RsaKeys.MIN_RSA_BITS);
  }

  @ParameterizedTest(name = "RSA-{0}")
  @ValueSource(ints = {2048, 3072})
  void keysOfTheMinimumSizeAndLargerPass(int bits) throws Exception {
    RSAPublicKey key = (RSAPublicKey) pair(bits).getPublic();

    assertThat(RsaKeys.checkKeySize(key)).isSameAs(key);
    assertThat(RsaKeys.fromPem(RsaKeys.toPkcs1Pem(key))).isEqualTo(key);
  }
}
