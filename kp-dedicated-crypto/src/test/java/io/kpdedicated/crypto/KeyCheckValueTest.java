package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.internal.AesCmac;
import io.kpdedicated.crypto.internal.Hex;
import org.junit.jupiter.api.Test;

class KeyCheckValueTest {
  // RFC 4493 section 4 / NIST SP 800-38B appendix D.1 (AES-128) and D.3 (AES-256).
  private static final byte[] RFC4493_KEY = Hex.decode("2b7e151628aed2a6abf7158809cf4f3c");
  private static final byte[] SP800_38B_AES256_KEY =
      Hex.decode("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
  private static final byte[] BLOCK = Hex.decode("6bc1bee22e409f96e93d7e117393172a");

  @Test
  void cmacMatchesTheRfc4493VectorsForAnEmptyMessageAndOneBlock() {
    assertThat(Hex.upper(AesCmac.mac(RFC4493_KEY, new byte[0])))
        .isEqualTo("BB1D6929E95937287FA37D129B756746");
    assertThat(Hex.upper(AesCmac.mac(RFC4493_KEY, BLOCK)))
        .isEqualTo("070A16B46B4D4144F79BDD9DD04A287C");
  }

  @Test
  void cmacMatchesTheRfc4493VectorForAPartialLastBlock() {
    byte[] forty =
        Hex.decode(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411");
    assertThat(Hex.upper(AesCmac.mac(RFC4493_KEY, forty)))
        .isEqualTo("DFA66747DE9AE63030CA32611497C827");
  }

  @Test
  void cmacMatchesTheSp80038bVectorsForAes256() {
    assertThat(Hex.upper(AesCmac.mac(SP800_38B_AES256_KEY, new byte[0])))
        .isEqualTo("028962F61B7BF89EFC6B551F4667D983");
    assertThat(Hex.upper(AesCmac.mac(SP800_38B_AES256_KEY, BLOCK)))
        .isEqualTo("28A7023F452E8F82BD4BF28D8C37C35C");
  }

  @Test
  void checkValueIsTheLeftmostFiveBytesOfTheCmacOfAZeroBlock() {
    KeyCheckValue kcv = KeyCheckValue.of(SP800_38B_AES256_KEY);

    String fullTag = Hex.upper(AesCmac.mac(SP800_38B_AES256_KEY, new byte[16]));
    assertThat(kcv.hex()).hasSize(10).isEqualTo(fullTag.substring(0, 10));
    // Independently computed with: openssl mac -cipher AES-256-CBC -macopt hexkey:<key> CMAC
    // over 16 zero bytes.
    assertThat(kcv.hex()).isEqualTo("1A0B2DF267");
  }

  @Test
  void checkValueWorksForEveryAesKeyLengthAndRejectsOthers() {
    assertThat(KeyCheckValue.of(RFC4493_KEY).hex()).hasSize(10);
    assertThat(KeyCheckValue.of(new byte[24]).hex()).hasSize(10);
    assertThatThrownBy(() -> KeyCheckValue.of(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyCheckValue.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void hexIsNormalizedToUpperCaseAndValidated() {
    assertThat(new KeyCheckValue("1a0b2df267").hex()).isEqualTo("1A0B2DF267");
    assertThat(new KeyCheckValue("1a0b2df267")).isEqualTo(new KeyCheckValue("1A0B2DF267"));
    assertThat(new KeyCheckValue("1a0b2df267").matches(new KeyCheckValue("1A0B2DF267"))).isTrue();
    assertThat(new KeyCheckValue("1a0b2df267").matches(new KeyCheckValue("1A0B2DF268"))).isFalse();
    assertThatThrownBy(() -> new KeyCheckValue("xyz1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeyCheckValue("abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeyCheckValue("")).isInstanceOf(IllegalArgumentException.class);
  }
}
