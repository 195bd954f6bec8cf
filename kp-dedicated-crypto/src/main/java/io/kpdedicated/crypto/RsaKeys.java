package io.kpdedicated.crypto;

import java.security.interfaces.RSAPublicKey;

/** RSA public-key encodings and signature checks shared by clients and the emulator. Contract only. */
public final class RsaKeys {
  private RsaKeys() {}

  /** Encodes as PKCS#1 PEM ({@code -----BEGIN RSA PUBLIC KEY-----}, {@code \n} line ends). */
  public static String toPkcs1Pem(RSAPublicKey key) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Parses PKCS#1 PEM (and also SubjectPublicKeyInfo {@code PUBLIC KEY} PEM). */
  public static RSAPublicKey fromPem(String pem) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Returns {@code MOD=<hex>\nPEXP=<hex>\n}. */
  public static String toModExpText(RSAPublicKey key) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Verifies a SHA256withRSA signature; false for a bad signature, never throws for one. */
  public static boolean verify(RSAPublicKey key, byte[] message, byte[] signature) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Encrypts a short secret (a key) to {@code recipient} with RSA-OAEP, SHA-256, MGF1-SHA-256. */
  public static byte[] wrapOaep(RSAPublicKey recipient, byte[] secret) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Decrypts what {@link #wrapOaep} produced; throws {@link CryptoException} when it does not open. */
  public static byte[] unwrapOaep(java.security.PrivateKey recipient, byte[] wrapped) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }
}
