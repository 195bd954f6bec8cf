package io.kpdedicated.core.model;

import java.util.Locale;

/**
 * The identity the {@code kmsCryptoUser} must be created with, as {@code GET
 * /api/v1/cryptouser/metadata} returns it.
 *
 * @param userName the user name
 * @param publicKeyPem the user's RSA public key, PEM
 * @param slotId the HSM slot, which becomes the attribute {@code CXI_GROUP=SLOT_%04d}
 */
public record CryptoUserMetadata(String userName, String publicKeyPem, int slotId) {
  /**
   * Validates the fields.
   *
   * @param userName the user name
   * @param publicKeyPem the user's RSA public key, PEM
   * @param slotId the HSM slot, which becomes the attribute {@code CXI_GROUP=SLOT_%04d}
   */
  public CryptoUserMetadata {
    CryptoUnit.requireText(userName, "userName");
    CryptoUnit.requireText(publicKeyPem, "publicKeyPem");
    if (slotId < 0 || slotId > 9999) {
      throw new IllegalArgumentException("slotId must be 0..9999, got " + slotId);
    }
  }

  /** {@return the {@code CXI_GROUP} attribute value, {@code SLOT_%04d}} */
  public String cxiGroup() {
    return String.format(Locale.ROOT, "SLOT_%04d", slotId);
  }

  /** {@return the user to add, with its {@code CXI_GROUP} attribute} */
  public NewUser toNewUser() {
    return new NewUser(UserType.KMS_CRYPTO_USER, userName, publicKeyPem,
        java.util.Map.of(NewUser.CXI_GROUP, cxiGroup()));
  }

  @Override
  public String toString() {
    return "CryptoUserMetadata[userName=" + userName + ", slotId=" + slotId + "]";
  }
}
