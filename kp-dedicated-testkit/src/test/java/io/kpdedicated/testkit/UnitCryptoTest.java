package io.kpdedicated.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.RsaKeys;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

class UnitCryptoTest {

  @Test
  void checkValueIsTheFirstFiveBytesOfAesCmacOverAZeroBlock() throws Exception {
    Mac cmac = Mac.getInstance("AESCMAC", new BouncyCastleProvider());
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 50; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      cmac.init(new SecretKeySpec(key, "AES"));
      byte[] mac = cmac.doFinal(new byte[16]);
      String expected = HexFormat.of().withUpperCase().formatHex(Arrays.copyOf(mac, 5));
      assertThat(UnitCrypto.checkValue(key).hex()).isEqualTo(expected);
    }
  }

  @Test
  void agreesWithTheCryptoModuleOnCheckValuesPemAndOaep() {
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[32];
    random.nextBytes(key);
    assertThat(UnitCrypto.checkValue(key)).isEqualTo(KeyCheckValue.of(key));
    var admin = TestKeys.publicKey(TestKeys.ADMIN);
    assertThat(UnitCrypto.toPkcs1Pem(admin)).isEqualTo(RsaKeys.toPkcs1Pem(admin));
    byte[] wrapped = RsaKeys.wrapOaep(TestKeys.publicKey(TestKeys.IMPORT_POOL.get(0)), key);
    assertThat(UnitCrypto.unwrapOaep(TestKeys.IMPORT_POOL.get(0).getPrivate(), wrapped))
        .isEqualTo(key);
  }

  @Test
  void pkcs1PemRoundTripsAndSubjectPublicKeyInfoPemIsAccepted() {
    var key = TestKeys.publicKey(TestKeys.ADMIN);
    String pem = UnitCrypto.toPkcs1Pem(key);
    assertThat(pem).startsWith("-----BEGIN RSA PUBLIC KEY-----\n").endsWith("-----END RSA PUBLIC KEY-----\n")
        .doesNotContain("\r");
    assertThat(UnitCrypto.sameKey(UnitCrypto.parsePublicKeyPem(pem), key)).isTrue();
    String spki = "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    assertThat(UnitCrypto.sameKey(UnitCrypto.parsePublicKeyPem(spki), key)).isTrue();
  }

  @Test
  void refusesTextThatIsNotAPublicKeyPem() {
    assertThatThrownBy(() -> UnitCrypto.parsePublicKeyPem("hello"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UnitCrypto.parsePublicKeyPem(
        "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void oaepUnwrapOpensWhatWasWrappedAndRefusesAnotherKey() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    byte[] wrapped = UnitCrypto.wrapOaep(TestKeys.publicKey(TestKeys.IMPORT_POOL.get(0)), secret);
    assertThat(UnitCrypto.unwrapOaep(TestKeys.IMPORT_POOL.get(0).getPrivate(), wrapped))
        .isEqualTo(secret);
    assertThatThrownBy(() -> UnitCrypto.unwrapOaep(TestKeys.IMPORT_POOL.get(1).getPrivate(), wrapped))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
