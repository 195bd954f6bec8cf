package io.kpdedicated.crypto;

import java.security.interfaces.RSAPublicKey;

/**
 * Something that signs HSM commands as a crypto unit's administrator.
 *
 * <p>{@link AdminIdentity} is the usual implementation; a PKCS#11 token or a remote signer can be
 * adapted to it. Signatures are RSA PKCS#1 v1.5 with SHA-256 ({@code SHA256withRSA}), the scheme the
 * signed-REST session protocol expects. Implementations must be thread-safe: the initializer signs
 * for several units at once.
 */
public interface AdminSigner {

  /** {@return the administrator's public key, the one installed on each unit by the claim call} */
  RSAPublicKey publicKey();

  /**
   * Signs a message with SHA256withRSA.
   *
   * @param message the bytes to sign; never null
   * @return the signature
   * @throws CryptoException if the key cannot sign
   */
  byte[] sign(byte[] message);
}
