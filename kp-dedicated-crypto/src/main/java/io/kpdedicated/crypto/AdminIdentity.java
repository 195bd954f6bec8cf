package io.kpdedicated.crypto;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import javax.security.auth.Destroyable;

/**
 * A crypto-unit administrator's signature key: an RSA private key with a self-signed certificate
 * naming the administrator. Contract only; the crypto module work fills in the bodies.
 */
public final class AdminIdentity implements AdminSigner, Destroyable, AutoCloseable {

  private AdminIdentity() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Generates an identity with an RSA key of {@code rsaBits} (2048, 3072 or 4096). */
  public static AdminIdentity generate(String adminName, int rsaBits, SecureRandom random) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Loads a PKCS#12 identity file; {@code passphrase} null only for a file saved unprotected. */
  public static AdminIdentity load(Path pkcs12File, Passphrase passphrase) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Uses an existing JCA private key (software or token) with its certificate. */
  public static AdminIdentity of(PrivateKey privateKey, X509Certificate certificate) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Saves as PKCS#12 (AES-256, PBKDF2-HMAC-SHA256), 0600, atomically. */
  public void save(Path file, Passphrase passphrase, boolean overwrite) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Returns the administrator name from the certificate subject. */
  public String name() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Returns the self-signed certificate. */
  public X509Certificate certificate() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  @Override
  public RSAPublicKey publicKey() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Returns the public key as PKCS#1 PEM with {@code \n} line ends, as the claim call sends it. */
  public String publicKeyPkcs1Pem() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  @Override
  public byte[] sign(byte[] message) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  @Override
  public void destroy() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  @Override
  public boolean isDestroyed() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  @Override
  public void close() {
    destroy();
  }
}
