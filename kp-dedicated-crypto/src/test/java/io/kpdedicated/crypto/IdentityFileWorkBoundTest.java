package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KeyFileException.Reason;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identity files whose key derivation asks for more iterations than the reader allows are refused
 * as {@link Reason#TOO_COSTLY} before any derivation. The bound is lowered here so that the files
 * stay cheap to write; the public loaders use {@link AdminIdentity#MAX_PBKDF2_ITERATIONS}.
 */
class IdentityFileWorkBoundTest {
  private static final Path FILE = Path.of("crafted-identity");
  private static final char[] PASS = "work-bound-pass".toCharArray();
  private static AdminIdentity admin;
  private static PrivateKey key;

  @BeforeAll
  static void generateOnce() throws Exception {
    admin = AdminIdentity.generate("Bound Admin", 2048, TestSupport.seeded(9));
    Path tmp = java.nio.file.Files.createTempFile("id", ".p12");
    try {
      admin.saveUnprotected(tmp, true);
      key = Pkcs12Codec.decode(tmp, java.nio.file.Files.readAllBytes(tmp), null).privateKey();
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  @AfterAll
  static void destroy() {
    admin.close();
  }

  private static void assertTooCostly(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.TOO_COSTLY);
              assertThat(e.file()).contains(FILE);
              assertThat(e.getMessage()).contains("10000").contains("before deriving");
            });
  }

  @Test
  void aPkcs12FileAskingForMoreIterationsThanTheBoundIsRefused() {
    byte[] pfx = Pkcs12Codec.encode(key, admin.certificate(), PASS, 10_000, TestSupport.seeded(2));

    assertTooCostly(() -> Pkcs12Codec.decode(FILE, pfx, PASS, 9_999));
    assertThat(Pkcs12Codec.decode(FILE, pfx, PASS, 10_000).certificate())
        .isEqualTo(admin.certificate());
  }

  @Test
  void anEncryptedPemKeyAskingForMoreIterationsThanTheBoundIsRefused() throws Exception {
    OutputEncryptor pbes2 =
        new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
            .setProvider(new BouncyCastleProvider())
            .setPRF(PKCS8Generator.PRF_HMACSHA256)
            .setIterationCount(10_000)
            .setPassword(PASS)
            .build();
    OutputEncryptor legacy =
        new JcePKCSPBEOutputEncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
            .setProvider(new BouncyCastleProvider())
            .setIterationCount(10_000)
            .build(PASS);
    for (OutputEncryptor encryptor : new OutputEncryptor[] {pbes2, legacy}) {
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(new JcaPKCS8Generator(key, encryptor));
      }
      byte[] pem = out.toString().getBytes(StandardCharsets.US_ASCII);

      assertTooCostly(() -> AdminIdentity.readPem(FILE, pem, PASS, 9_999));
      assertThat(AdminIdentity.readPem(FILE, pem, PASS, 10_000).privateKey()).isEqualTo(key);
    }
  }
}
