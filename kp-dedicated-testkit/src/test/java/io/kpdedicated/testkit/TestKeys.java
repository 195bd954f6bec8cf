package io.kpdedicated.testkit;

import io.kpdedicated.crypto.AdminSigner;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

/** RSA keys generated once per test run and shared, because generating them is slow. */
final class TestKeys {
  private TestKeys() {}

  static final KeyPair ADMIN = rsa();
  static final KeyPair OTHER_ADMIN = rsa();
  static final List<KeyPair> IMPORT_POOL = List.of(rsa(), rsa(), rsa());

  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A plain JCA signer, independent of the crypto module's identity classes. */
  static AdminSigner signer(KeyPair pair) {
    return new AdminSigner() {
      @Override
      public RSAPublicKey publicKey() {
        return (RSAPublicKey) pair.getPublic();
      }

      @Override
      public byte[] sign(byte[] message) {
        try {
          Signature s = Signature.getInstance("SHA256withRSA");
          s.initSign(pair.getPrivate());
          s.update(message);
          return s.sign();
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  static RSAPublicKey publicKey(KeyPair pair) {
    return (RSAPublicKey) pair.getPublic();
  }

  static String pem(KeyPair pair) {
    return UnitCrypto.toPkcs1Pem(publicKey(pair));
  }
}
