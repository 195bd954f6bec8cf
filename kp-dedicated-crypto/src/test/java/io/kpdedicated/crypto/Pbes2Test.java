package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.InputDecryptor;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;

/**
 * PBES2 decryption reads only what it implements and refuses everything else by name: each check
 * is tested with parameters that differ from a decryptable set in exactly that one field.
 */
class Pbes2Test {
  private static final char[] PASSWORD = "pbes2-test-password".toCharArray();
  private static final byte[] PLAIN = "a private key, or any other secret".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SALT = new byte[16];
  private static final byte[] IV16 = new byte[16];
  private static final byte[] IV8 = new byte[8];
  private static final int ITERATIONS = 1000;

  static {
    TestSupport.seeded(61).nextBytes(SALT);
    TestSupport.seeded(62).nextBytes(IV16);
    TestSupport.seeded(63).nextBytes(IV8);
  }

  private static AlgorithmIdentifier prf(ASN1ObjectIdentifier oid) {
    return new AlgorithmIdentifier(oid, DERNull.INSTANCE);
  }

  private static AlgorithmIdentifier pbes2(
      ASN1ObjectIdentifier kdfOid,
      int iterations,
      Integer keyLength,
      AlgorithmIdentifier prf,
      ASN1ObjectIdentifier cipher,
      byte[] iv) {
    PBKDF2Params kdf =
        keyLength == null
            ? new PBKDF2Params(SALT, iterations, prf)
            : new PBKDF2Params(SALT, iterations, keyLength, prf);
    return new AlgorithmIdentifier(
        PKCSObjectIdentifiers.id_PBES2,
        new PBES2Parameters(
            new KeyDerivationFunc(kdfOid, kdf),
            new EncryptionScheme(cipher, new DEROctetString(iv))));
  }

  /** Encrypts {@link #PLAIN} with the JCE directly, as another PBES2 writer would. */
  private static byte[] encrypt(
      String prfAlgorithm, String keyAlgorithm, String transformation, int keyBytes, byte[] iv)
      throws Exception {
    PBEKeySpec spec = new PBEKeySpec(PASSWORD, SALT, ITERATIONS, keyBytes * 8);
    byte[] key = SecretKeyFactory.getInstance(prfAlgorithm).generateSecret(spec).getEncoded();
    Cipher cipher = Cipher.getInstance(transformation);
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, keyAlgorithm), new IvParameterSpec(iv));
    return cipher.doFinal(PLAIN);
  }

  private static byte[] decrypt(AlgorithmIdentifier algorithm, byte[] ciphertext, int max)
      throws Exception {
    InputDecryptorProvider provider = Pbes2.decryptorProvider(PASSWORD, max);
    InputDecryptor decryptor = provider.get(algorithm);
    assertThat(decryptor.getAlgorithmIdentifier()).isSameAs(algorithm);
    try (InputStream in = decryptor.getInputStream(new ByteArrayInputStream(ciphertext))) {
      return in.readAllBytes();
    }
  }

  private static byte[] decrypt(AlgorithmIdentifier algorithm, byte[] ciphertext) throws Exception {
    return decrypt(algorithm, ciphertext, 10 * ITERATIONS);
  }

  private static AlgorithmIdentifier aes256(Integer keyLength) {
    return pbes2(
        PKCSObjectIdentifiers.id_PBKDF2,
        ITERATIONS,
        keyLength,
        prf(PKCSObjectIdentifiers.id_hmacWithSHA256),
        NISTObjectIdentifiers.id_aes256_CBC,
        IV16);
  }

  private static byte[] aes256Ciphertext() throws Exception {
    return encrypt("PBKDF2WithHmacSHA256", "AES", "AES/CBC/PKCS5Padding", 32, IV16);
  }

  @Test
  void decryptsWhatItsOwnEncryptorWrote() throws Exception {
    OutputEncryptor encryptor = Pbes2.aes256Encryptor(PASSWORD, ITERATIONS, TestSupport.seeded(64));
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = encryptor.getOutputStream(sink)) {
      out.write(PLAIN);
    }
    AlgorithmIdentifier algorithm = encryptor.getAlgorithmIdentifier();
    PBKDF2Params kdf =
        PBKDF2Params.getInstance(
            PBES2Parameters.getInstance(algorithm.getParameters())
                .getKeyDerivationFunc()
                .getParameters());

    assertThat(kdf.getIterationCount()).isEqualTo(BigInteger.valueOf(ITERATIONS));
    assertThat(kdf.getPrf().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_hmacWithSHA256);
    assertThat(encryptor.getKey().getAlgorithmIdentifier()).isEqualTo(algorithm);
    assertThat(sink.toByteArray()).isNotEqualTo(PLAIN);
    assertThat(decrypt(algorithm, sink.toByteArray())).isEqualTo(PLAIN);
  }

  @Test
  void decryptsEveryPrfAndCipherItNames() throws Exception {
    assertThat(decrypt(aes256(null), aes256Ciphertext())).isEqualTo(PLAIN);
    assertThat(decrypt(aes256(32), aes256Ciphertext())).as("explicit key length").isEqualTo(PLAIN);
    Object[][] cases = {
      {PKCSObjectIdentifiers.id_hmacWithSHA1, "PBKDF2WithHmacSHA1",
        NISTObjectIdentifiers.id_aes128_CBC, "AES", "AES/CBC/PKCS5Padding", 16, IV16},
      {PKCSObjectIdentifiers.id_hmacWithSHA224, "PBKDF2WithHmacSHA224",
        NISTObjectIdentifiers.id_aes192_CBC, "AES", "AES/CBC/PKCS5Padding", 24, IV16},
      {PKCSObjectIdentifiers.id_hmacWithSHA384, "PBKDF2WithHmacSHA384",
        NISTObjectIdentifiers.id_aes256_CBC, "AES", "AES/CBC/PKCS5Padding", 32, IV16},
      {PKCSObjectIdentifiers.id_hmacWithSHA512, "PBKDF2WithHmacSHA512",
        PKCSObjectIdentifiers.des_EDE3_CBC, "DESede", "DESede/CBC/PKCS5Padding", 24, IV8},
    };
    for (Object[] c : cases) {
      byte[] ciphertext =
          encrypt((String) c[1], (String) c[3], (String) c[4], (Integer) c[5], (byte[]) c[6]);
      AlgorithmIdentifier algorithm =
          pbes2(
              PKCSObjectIdentifiers.id_PBKDF2,
              ITERATIONS,
              (Integer) c[5],
              prf((ASN1ObjectIdentifier) c[0]),
              (ASN1ObjectIdentifier) c[2],
              (byte[]) c[6]);
      assertThat(decrypt(algorithm, ciphertext)).as("%s", c[1]).isEqualTo(PLAIN);
    }
  }

  private static void assertUnsupported(AlgorithmIdentifier algorithm, String named) {
    assertThatThrownBy(() -> decrypt(algorithm, aes256Ciphertext()))
        .isInstanceOf(Pbes2.UnsupportedSchemeException.class)
        .hasMessageContaining(named)
        .satisfies(e -> assertThat(Pbes2.unsupportedScheme(e)).isSameAs(e));
  }

  @Test
  void aKeyDerivationOtherThanPbkdf2IsRefusedByName() {
    assertUnsupported(
        pbes2(
            MiscObjectIdentifiers.id_scrypt,
            ITERATIONS,
            null,
            prf(PKCSObjectIdentifiers.id_hmacWithSHA256),
            NISTObjectIdentifiers.id_aes256_CBC,
            IV16),
        "key derivation " + MiscObjectIdentifiers.id_scrypt);
  }

  @Test
  void aPrfItDoesNotImplementIsRefusedByName() {
    ASN1ObjectIdentifier sha3 = NISTObjectIdentifiers.id_hmacWithSHA3_256;
    assertUnsupported(
        pbes2(
            PKCSObjectIdentifiers.id_PBKDF2,
            ITERATIONS,
            null,
            prf(sha3),
            NISTObjectIdentifiers.id_aes256_CBC,
            IV16),
        sha3.getId());
  }

  @Test
  void aCipherItDoesNotImplementIsRefusedByName() {
    ASN1ObjectIdentifier gcm = NISTObjectIdentifiers.id_aes256_GCM;
    assertUnsupported(
        pbes2(
            PKCSObjectIdentifiers.id_PBKDF2,
            ITERATIONS,
            null,
            prf(PKCSObjectIdentifiers.id_hmacWithSHA256),
            gcm,
            IV16),
        gcm.getId());
  }

  @Test
  void aPasswordBasedSchemeOtherThanPbes2OrPkcs12IsRefusedByName() {
    ASN1ObjectIdentifier pbes1 = PKCSObjectIdentifiers.pbeWithMD5AndDES_CBC;
    assertUnsupported(
        new AlgorithmIdentifier(pbes1, new PKCS12PBEParams(SALT, ITERATIONS)),
        "password-based encryption " + pbes1);
  }

  @Test
  void aKeyLengthThatDoesNotFitTheCipherIsRefused() {
    assertThatThrownBy(() -> decrypt(aes256(16), aes256Ciphertext()))
        .isInstanceOf(OperatorCreationException.class)
        .isNotInstanceOf(Pbes2.UnsupportedSchemeException.class)
        .hasMessageContaining("key length does not match");
  }

  @Test
  void anIterationCountAboveTheBoundIsRefusedBeforeDerivingAndTheBoundItselfIsAllowed()
      throws Exception {
    assertThat(decrypt(aes256(null), aes256Ciphertext(), ITERATIONS)).isEqualTo(PLAIN);
    assertThatThrownBy(() -> decrypt(aes256(null), aes256Ciphertext(), ITERATIONS - 1))
        .isInstanceOf(Pbes2.TooCostlyException.class)
        .hasMessageContaining(ITERATIONS + " key-derivation iterations")
        .hasMessageContaining("more than the " + (ITERATIONS - 1))
        .satisfies(e -> assertThat(Pbes2.tooCostly(e)).isSameAs(e));
  }

  @Test
  void aLegacyPkcs12SchemeIsHeldToTheSameIterationBound() {
    AlgorithmIdentifier legacy =
        new AlgorithmIdentifier(
            PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC,
            new PKCS12PBEParams(SALT, 2 * ITERATIONS));

    assertThatThrownBy(() -> Pbes2.decryptorProvider(PASSWORD, ITERATIONS).get(legacy))
        .isInstanceOf(Pbes2.TooCostlyException.class);
    assertThatThrownBy(
            () ->
                Pbes2.decryptorProvider(PASSWORD, ITERATIONS)
                    .get(
                        new AlgorithmIdentifier(
                            PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC,
                            DERNull.INSTANCE)))
        .isInstanceOf(OperatorCreationException.class)
        .hasMessageContaining("malformed PKCS#12 PBE parameters");
  }

  @Test
  void aCountThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> Pbes2.checkIterations(BigInteger.ZERO, 10))
        .isInstanceOf(OperatorCreationException.class)
        .isNotInstanceOf(Pbes2.TooCostlyException.class)
        .hasMessageContaining("not a positive number");
    assertThatThrownBy(() -> Pbes2.checkIterations(BigInteger.valueOf(-1), 10))
        .isInstanceOf(OperatorCreationException.class)
        .hasMessageContaining("not a positive number");
    assertThatThrownBy(() -> Pbes2.checkIterations(null, 10))
        .isInstanceOf(OperatorCreationException.class);
  }

  @Test
  void theCauseChainSearchesFindTheirFailureOnlyWhereItIs() {
    Pbes2.TooCostlyException costly = new Pbes2.TooCostlyException(BigInteger.TEN, 5);
    Pbes2.UnsupportedSchemeException unsupported = new Pbes2.UnsupportedSchemeException("x");
    RuntimeException wrapper = new RuntimeException(new IllegalStateException(costly));

    assertThat(Pbes2.tooCostly(wrapper)).isSameAs(costly);
    assertThat(Pbes2.unsupportedScheme(wrapper)).isNull();
    assertThat(Pbes2.unsupportedScheme(new RuntimeException(unsupported))).isSameAs(unsupported);
    assertThat(Pbes2.tooCostly(new RuntimeException())).isNull();
  }
}
