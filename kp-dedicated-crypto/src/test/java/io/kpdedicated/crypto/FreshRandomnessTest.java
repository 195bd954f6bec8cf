package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.crypto.internal.Hex;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every value that must be fresh per file is drawn from the randomness and differs between files:
 * keyshare salts, AES-GCM nonces and share-set ids; the PBES2 salt and IV of PKCS#12 key bags; the
 * serial number of self-signed certificates. A value left all-zero (or repeated) would pass every
 * round-trip test, so these tests look at the values themselves.
 */
class FreshRandomnessTest {
  private static final int SETS = 6;

  private static AdminIdentity admin;
  private static PrivateKey privateKey;

  @TempDir Path dir;

  @BeforeAll
  static void shareTheTestIdentity() {
    admin = TestSupport.testAdmin().identity();
    privateKey = TestSupport.testAdmin().privateKey();
  }

  private static void assertFreshValues(List<byte[]> values, int length, String what) {
    Set<String> distinct = new HashSet<>();
    for (byte[] v : values) {
      assertThat(v).as("%s length", what).hasSize(length);
      assertThat(v).as("%s is not all zero", what).isNotEqualTo(new byte[length]);
      distinct.add(Hex.lower(v));
    }
    assertThat(distinct).as("every %s differs", what).hasSize(values.size());
  }

  @Test
  void everyKeyshareFileHasItsOwnSaltAndNonceAndEverySetItsOwnId() throws IOException {
    List<byte[]> salts = new ArrayList<>();
    List<byte[]> nonces = new ArrayList<>();
    List<String> setIds = new ArrayList<>();
    KeyshareWriteOptions options = TestSupport.cheapOptions(32);
    try (Passphrase pass = Passphrase.of("fresh-passphrase");
        MasterKey key = MasterKey.generate("fresh", TestSupport.seeded(33))) {
      for (int s = 0; s < SETS; s++) {
        List<KeyshareLocation> set =
            List.of(
                new KeyshareLocation(dir.resolve("set" + s + "-1.json"), pass),
                new KeyshareLocation(dir.resolve("set" + s + "-2.json"), pass));
        KeyshareSetInfo info = Keyshares.write(key, 2, set, options);
        setIds.add(info.setId());
        for (KeyshareLocation l : set) {
          KeyshareFile.Parsed parsed = KeyshareFile.parse(l.path(), Files.readAllBytes(l.path()));
          assertThat(parsed.header().shareSetId()).isEqualTo(info.setId());
          salts.add(parsed.salt());
          nonces.add(parsed.nonce());
        }
      }
    }

    assertFreshValues(salts, KeyshareFile.SALT_BYTES, "salt");
    assertFreshValues(nonces, KeyshareFile.NONCE_BYTES, "nonce");
    List<byte[]> ids = new ArrayList<>();
    for (String id : setIds) {
      assertThat(id).matches("[0-9a-f]{32}");
      ids.add(Hex.decode(id));
    }
    assertFreshValues(ids, 16, "share set id");
  }

  private static AlgorithmIdentifier keyBagAlgorithm(byte[] pfxBytes) throws Exception {
    PKCS12PfxPdu pfx = new PKCS12PfxPdu(pfxBytes);
    for (ContentInfo info : pfx.getContentInfos()) {
      for (PKCS12SafeBag bag : new PKCS12SafeBagFactory(info).getSafeBags()) {
        if (bag.getBagValue() instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
          return encrypted.getEncryptionAlgorithm();
        }
      }
    }
    throw new AssertionError("no encrypted key bag");
  }

  @Test
  void everySavedIdentityFileHasItsOwnPbes2SaltAndIv() throws Exception {
    List<byte[]> salts = new ArrayList<>();
    List<byte[]> ivs = new ArrayList<>();
    try (Passphrase pass = Passphrase.of("fresh identity pass")) {
      for (int i = 0; i < 4; i++) {
        Path protectedFile = dir.resolve("protected-" + i + ".p12");
        Path openFile = dir.resolve("open-" + i + ".p12");
        admin.save(protectedFile, pass, false, AdminIdentity.MIN_PBKDF2_ITERATIONS);
        admin.saveUnprotected(openFile, false);
        for (Path file : List.of(protectedFile, openFile)) {
          AlgorithmIdentifier algorithm = keyBagAlgorithm(Files.readAllBytes(file));
          assertThat(algorithm.getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
          PBES2Parameters params = PBES2Parameters.getInstance(algorithm.getParameters());
          salts.add(PBKDF2Params.getInstance(params.getKeyDerivationFunc().getParameters()).getSalt());
          ivs.add(
              ASN1OctetString.getInstance(params.getEncryptionScheme().getParameters()).getOctets());
        }
      }
    }

    assertFreshValues(salts, 32, "PBES2 salt");
    assertFreshValues(ivs, 16, "AES-CBC IV");
  }

  @Test
  void theEncryptorDrawsItsSaltAndIvFromTheGivenRandomness() throws Exception {
    List<byte[]> salts = new ArrayList<>();
    List<byte[]> ivs = new ArrayList<>();
    var random = TestSupport.seeded(34);
    for (int i = 0; i < 4; i++) {
      AlgorithmIdentifier algorithm =
          Pbes2.aes256Encryptor("pw".toCharArray(), 1, random).getAlgorithmIdentifier();
      PBES2Parameters params = PBES2Parameters.getInstance(algorithm.getParameters());
      salts.add(PBKDF2Params.getInstance(params.getKeyDerivationFunc().getParameters()).getSalt());
      ivs.add(ASN1OctetString.getInstance(params.getEncryptionScheme().getParameters()).getOctets());
    }

    assertFreshValues(salts, 32, "PBES2 salt");
    assertFreshValues(ivs, 16, "AES-CBC IV");
  }

  @Test
  void everySelfSignedCertificateHasItsOwnLargeSerialNumber() throws Exception {
    Path pem = dir.resolve("key.pem");
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(privateKey);
    }
    Files.writeString(pem, out.toString(), StandardCharsets.US_ASCII);

    List<BigInteger> serials = new ArrayList<>();
    serials.add(admin.certificate().getSerialNumber());
    for (int i = 0; i < 4; i++) {
      try (AdminIdentity loaded = AdminIdentity.loadPem(pem, null, "Fresh Admin")) {
        serials.add(loaded.certificate().getSerialNumber());
      }
    }

    assertThat(serials).allSatisfy(s -> assertThat(s.bitLength()).isGreaterThan(64));
    assertThat(new HashSet<>(serials)).hasSameSizeAs(serials);
  }
}
