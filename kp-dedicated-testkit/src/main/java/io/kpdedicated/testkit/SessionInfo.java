package io.kpdedicated.testkit;

import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

/**
 * What a crypto unit answers when an administrator opens an HSM session.
 *
 * @param sessionId an opaque id for the session
 * @param unitId the unit
 * @param importKey the unit's RSA import key: wrap the master key to it with RSA-OAEP (SHA-256,
 *     MGF1-SHA-256) before importing
 */
public record SessionInfo(String sessionId, String unitId, RSAPublicKey importKey) {
  /**
   * Validates the fields.
   *
   * @param sessionId an opaque id for the session
   * @param unitId the unit
   * @param importKey the unit's RSA import key: wrap the master key to it with RSA-OAEP (SHA-256,
   *     MGF1-SHA-256) before importing
   */
  public SessionInfo {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(unitId, "unitId");
    Objects.requireNonNull(importKey, "importKey");
  }

  /** {@return the import key as PKCS#1 PEM with {@code \n} line ends} */
  public String importKeyPkcs1Pem() {
    return UnitCrypto.toPkcs1Pem(importKey);
  }
}
