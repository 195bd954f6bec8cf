package io.kpdedicated.core.fakes;

import io.kpdedicated.crypto.AdminSigner;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;

/** A real RSA-2048 signer made with the JDK, for tests that must not depend on key files. */
public final class FakeSigner implements AdminSigner {
  private final KeyPair pair;

  public FakeSigner() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      pair = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

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
}
