package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RsaKeysTest {
  private static KeyPair unit;
  private static KeyPair stranger;

  @BeforeAll
  static void generateOnce() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), TestSupport.seeded(5));
    unit = generator.generateKeyPair();
    stranger = generator.generateKeyPair();
  }

  private static RSAPublicKey unitPublic() {
    return (RSAPublicKey) unit.getPublic();
  }

  @Test
  void parsesPkcs1AndSubjectPublicKeyInfoPem() {
    RSAPublicKey key = unitPublic();

    assertThat(RsaKeys.fromPem(RsaKeys.toPkcs1Pem(key))).isEqualTo(key);
    assertThat(RsaKeys.fromPem(RsaKeys.toSpkiPem(key))).isEqualTo(key);
    assertThat(RsaKeys.fromPem(RsaKeys.toPkcs1Pem(key).replace("\n", "\r\n") + "\r\n"))
        .isEqualTo(key);
    assertThat(RsaKeys.toSpkiPem(key)).startsWith("-----BEGIN PUBLIC KEY-----\n");
  }

  @Test
  void encodesPkcs1WithTheRsaPublicKeyStructureOnly() {
    String pem = RsaKeys.toPkcs1Pem(unitPublic());
    String body = pem.replace("-----BEGIN RSA PUBLIC KEY-----\n", "")
        .replace("-----END RSA PUBLIC KEY-----\n", "")
        .replace("\n", "");
    org.bouncycastle.asn1.pkcs.RSAPublicKey parsed =
        org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(java.util.Base64.getDecoder().decode(body));

    assertThat(parsed.getModulus()).isEqualTo(unitPublic().getModulus());
    assertThat(parsed.getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
  }

  @Test
  void rejectsTextThatIsNoRsaPublicKeyPem() {
    assertThatThrownBy(() -> RsaKeys.fromPem("hello")).isInstanceOf(CryptoException.class);
    assertThatThrownBy(
            () -> RsaKeys.fromPem("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n"))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(
            () -> RsaKeys.fromPem("-----BEGIN RSA PUBLIC KEY-----\n!!!!\n-----END RSA PUBLIC KEY-----\n"))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void wrapsAKeyWithOaepSha256SoOnlyTheRecipientUnwrapsIt() {
    byte[] secret = new byte[32];
    TestSupport.seeded(6).nextBytes(secret);

    byte[] wrapped = RsaKeys.wrapOaep(unitPublic(), secret);
    assertThat(wrapped).hasSize(256);
    assertThat(RsaKeys.wrapOaep(unitPublic(), secret)).isNotEqualTo(wrapped); // randomized
    assertThat(RsaKeys.unwrapOaep(unit.getPrivate(), wrapped)).isEqualTo(secret);
    assertThatThrownBy(() -> RsaKeys.unwrapOaep(stranger.getPrivate(), wrapped))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("does not open");
    wrapped[10] ^= 1;
    assertThatThrownBy(() -> RsaKeys.unwrapOaep(unit.getPrivate(), wrapped))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void oaepUsesSha256AndMgf1Sha256() throws Exception {
    byte[] secret = {1, 2, 3, 4};
    byte[] wrapped = RsaKeys.wrapOaep(unitPublic(), secret);
    // Decrypt with BouncyCastle's own OAEP engine configured explicitly for SHA-256 / MGF1-SHA-256.
    org.bouncycastle.crypto.encodings.OAEPEncoding oaep =
        new org.bouncycastle.crypto.encodings.OAEPEncoding(
            new org.bouncycastle.crypto.engines.RSABlindedEngine(),
            org.bouncycastle.crypto.util.DigestFactory.createSHA256(),
            org.bouncycastle.crypto.util.DigestFactory.createSHA256(),
            null);
    oaep.init(false, org.bouncycastle.crypto.util.PrivateKeyFactory.createKey(unit.getPrivate().getEncoded()));

    assertThat(oaep.processBlock(wrapped, 0, wrapped.length)).isEqualTo(secret);
  }

  @Test
  void refusesSecretsTooLongForTheKey() {
    assertThatThrownBy(() -> RsaKeys.wrapOaep(unitPublic(), new byte[191]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RsaKeys.wrapOaep(unitPublic(), new byte[190])).hasSize(256);
  }

  @Test
  void modulusExponentTextHasNoSignByte() {
    assertThat(RsaKeys.toModExpText(unitPublic()))
        .startsWith("MOD=")
        .doesNotStartWith("MOD=00")
        .endsWith("\nPEXP=010001\n");
  }

  @Test
  void theSizeLimitIsInclusiveAtBothEndsAndAHiddenSizeIsLeftToTheCertificate() {
    assertThat(RsaKeys.keySizeProblem(-1)).isNull();
    assertThat(RsaKeys.keySizeProblem(0)).contains("RSA-0 key is too weak");
    assertThat(RsaKeys.keySizeProblem(RsaKeys.MIN_RSA_BITS - 1)).contains("too weak");
    assertThat(RsaKeys.keySizeProblem(RsaKeys.MIN_RSA_BITS)).isNull();
    assertThat(RsaKeys.keySizeProblem(RsaKeys.MAX_RSA_BITS)).isNull();
    assertThat(RsaKeys.keySizeProblem(RsaKeys.MAX_RSA_BITS + 1))
        .contains("RSA-16385 key is larger than the 16384 bits");
  }

  @Test
  void readsAKeyOfAnySizeWhenAskedTo() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4), TestSupport.seeded(6));
    RSAPublicKey weak = (RSAPublicKey) generator.generateKeyPair().getPublic();

    assertThat(RsaKeys.fromPemAnySize(RsaKeys.toPkcs1Pem(weak))).isEqualTo(weak);
    assertThat(RsaKeys.fromPemAnySize(RsaKeys.toSpkiPem(unitPublic()))).isEqualTo(unitPublic());
  }

  @Test
  void pemLinesHoldSixtyFourCharactersWithoutAnEmptyLineAfterAFullOne() {
    assertThat(RsaKeys.pem("-----BEGIN X-----", "-----END X-----", new byte[48]))
        .isEqualTo("-----BEGIN X-----\n" + "A".repeat(64) + "\n-----END X-----\n");
    assertThat(RsaKeys.pem("-----BEGIN X-----", "-----END X-----", new byte[49]))
        .isEqualTo("-----BEGIN X-----\n" + "A".repeat(64) + "\nAA==\n-----END X-----\n");
  }

  /** A public key with chosen numbers, to see how they are written. */
  private record Numbers(BigInteger getModulus, BigInteger getPublicExponent)
      implements RSAPublicKey {
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
  void modulusExponentTextDropsLeadingZeroBytesButKeepsOneDigitPair() {
    assertThat(RsaKeys.toModExpText(new Numbers(BigInteger.valueOf(0x80), BigInteger.ZERO)))
        .isEqualTo("MOD=80\nPEXP=00\n");
    assertThat(RsaKeys.toModExpText(new Numbers(BigInteger.valueOf(0x1FF), BigInteger.ONE)))
        .isEqualTo("MOD=01FF\nPEXP=01\n");
  }
}
