package io.kpdedicated.crypto;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the seed inputs of the fuzz tests into {@code src/test/resources}. Runs only when asked:
 * {@code mvn -B test -pl kp-dedicated-crypto -Dtest=FuzzSeedsTest -Dkpd.writeFuzzSeeds=true}.
 * The seeds use cheap KDF and PBKDF2 costs so that fuzzing from them stays fast.
 */
@EnabledIfSystemProperty(named = "kpd.writeFuzzSeeds", matches = "true")
class FuzzSeedsTest {
  private static final Path RESOURCES = Path.of("src/test/resources/io/kpdedicated/crypto");

  @TempDir Path dir;

  private static Path inputs(String testClass, String method) throws Exception {
    return Files.createDirectories(RESOURCES.resolve(testClass + "Inputs").resolve(method));
  }

  @Test
  void writesKeyshareSeeds() throws Exception {
    Path out = inputs("KeyshareFileFuzzTest", "parsesOrRefusesWithATypedReasonAndBoundedWork");
    try (Passphrase pass = Passphrase.of(KeyshareFileFuzzTest.SEED_PASSPHRASE);
        MasterKey key = MasterKey.generate("seed", TestSupport.seeded(7))) {
      for (KdfParameters kdf : List.of(TestSupport.CHEAP_ARGON2, TestSupport.CHEAP_SCRYPT)) {
        Path a = dir.resolve(kdf.name() + "-1");
        Path b = dir.resolve(kdf.name() + "-2");
        Keyshares.write(
            key,
            2,
            List.of(new KeyshareLocation(a, pass), new KeyshareLocation(b, pass)),
            TestSupport.cheapOptions(7).toBuilder().kdf(kdf).build());
        Files.copy(a, out.resolve("seed-" + kdf.name() + ".json"));
      }
    }
  }

  @Test
  void writesIdentitySeeds() throws Exception {
    AdminIdentity admin = AdminIdentity.generate("Seed Admin", 2048, TestSupport.seeded(8));
    Path tmp = dir.resolve("open.p12");
    admin.saveUnprotected(tmp, false);
    PrivateKey key = Pkcs12Codec.decode(tmp, Files.readAllBytes(tmp), null).privateKey();
    char[] pass = IdentityFileFuzzTest.SEED_PASSPHRASE.toCharArray();
    SecureRandom random = TestSupport.seeded(9);

    Path p12 = inputs("IdentityFileFuzzTest", "pkcs12LoadsOrRefusesWithATypedReason");
    Files.write(p12.resolve("seed-protected.p12"),
        Pkcs12Codec.encode(key, admin.certificate(), pass, 100, random));
    Files.write(p12.resolve("seed-unprotected.p12"),
        Pkcs12Codec.encode(key, admin.certificate(), null, 0, random));

    Path pem = inputs("IdentityFileFuzzTest", "pemLoadsOrRefusesWithATypedReason");
    Files.write(pem.resolve("seed-encrypted-pkcs8.pem"), pem(new JcaPKCS8Generator(key,
        new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
            .setProvider(new BouncyCastleProvider())
            .setPRF(PKCS8Generator.PRF_HMACSHA256)
            .setIterationCount(100)
            .setPassword(pass)
            .build()), admin.certificate()));
    Files.write(pem.resolve("seed-pkcs8.pem"),
        pem(new JcaPKCS8Generator(key, null), admin.certificate()));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), random);
    KeyPair other = generator.generateKeyPair();
    Files.write(pem.resolve("seed-pkcs1-foreign-certificate.pem"),
        pem(other.getPrivate(), admin.certificate()));
    admin.close();
  }

  private static byte[] pem(Object... objects) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        writer.writeObject(o);
      }
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
