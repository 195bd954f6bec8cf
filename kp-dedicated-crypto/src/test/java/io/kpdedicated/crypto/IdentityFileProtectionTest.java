package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What protects a saved identity file: the iteration count asked for (never below the minimum)
 * on the key bag and on the integrity MAC alike, PBKDF2-HMAC-SHA256 with AES-256-CBC, and a
 * SHA-256 MAC; an unprotected file has no MAC and a one-iteration bag under the empty password.
 */
class IdentityFileProtectionTest {
  private static AdminIdentity admin;

  @TempDir Path dir;

  @BeforeAll
  static void shareTheTestIdentity() {
    admin = TestSupport.testAdmin().identity();
  }

  private static PBES2Parameters keyBagParameters(PKCS12PfxPdu pfx) throws Exception {
    for (ContentInfo info : pfx.getContentInfos()) {
      for (PKCS12SafeBag bag : new PKCS12SafeBagFactory(info).getSafeBags()) {
        if (bag.getBagValue() instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
          AlgorithmIdentifier algorithm = encrypted.getEncryptionAlgorithm();
          assertThat(algorithm.getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
          return PBES2Parameters.getInstance(algorithm.getParameters());
        }
      }
    }
    throw new AssertionError("no encrypted key bag");
  }

  @Test
  void refusesAnIterationCountBelowTheMinimumBeforeWritingAnything() {
    Path file = dir.resolve("weak.p12");
    try (Passphrase pass = Passphrase.of("weak-protection")) {
      assertThatThrownBy(
              () -> admin.save(file, pass, false, AdminIdentity.MIN_PBKDF2_ITERATIONS - 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("at least " + AdminIdentity.MIN_PBKDF2_ITERATIONS)
          .hasMessageContaining("not " + (AdminIdentity.MIN_PBKDF2_ITERATIONS - 1));
    }
    assertThat(file).doesNotExist();
  }

  @Test
  void theKeyBagAndTheMacUseTheIterationCountAskedFor() throws Exception {
    int iterations = AdminIdentity.MIN_PBKDF2_ITERATIONS + 7;
    Path file = dir.resolve("admin.p12");
    try (Passphrase pass = Passphrase.of("strong-protection")) {
      admin.save(file, pass, false, iterations);

      PKCS12PfxPdu pfx = new PKCS12PfxPdu(Files.readAllBytes(file));
      assertThat(pfx.hasMac()).isTrue();
      MacData mac = pfx.toASN1Structure().getMacData();
      assertThat(mac.getIterationCount()).isEqualTo(BigInteger.valueOf(iterations));
      assertThat(mac.getMac().getAlgorithmId().getAlgorithm())
          .isEqualTo(NISTObjectIdentifiers.id_sha256);
      PBES2Parameters params = keyBagParameters(pfx);
      PBKDF2Params kdf = PBKDF2Params.getInstance(params.getKeyDerivationFunc().getParameters());
      assertThat(kdf.getIterationCount()).isEqualTo(BigInteger.valueOf(iterations));
      assertThat(kdf.getPrf().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_hmacWithSHA256);
      assertThat(params.getEncryptionScheme().getAlgorithm())
          .isEqualTo(NISTObjectIdentifiers.id_aes256_CBC);

      try (AdminIdentity loaded = AdminIdentity.load(file, pass)) {
        assertThat(loaded.publicKey()).isEqualTo(admin.publicKey());
      }
    }
  }

  @Test
  void anUnprotectedFileHasNoMacAndAOneIterationBagUnderTheEmptyPassword() throws Exception {
    Path file = dir.resolve("open.p12");
    admin.saveUnprotected(file, false);

    PKCS12PfxPdu pfx = new PKCS12PfxPdu(Files.readAllBytes(file));
    assertThat(pfx.hasMac()).isFalse();
    PBKDF2Params kdf =
        PBKDF2Params.getInstance(keyBagParameters(pfx).getKeyDerivationFunc().getParameters());
    assertThat(kdf.getIterationCount()).isEqualTo(BigInteger.ONE);
    assertThat(Pkcs12Codec.decode(file, Files.readAllBytes(file), new char[0]).certificate())
        .isEqualTo(admin.certificate());
  }
}
