package io.kpdedicated.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * A user to add to a crypto unit: the {@code kmsCryptoUser} (see
 * {@link CryptoUserMetadata#toNewUser()}) or a further administrator.
 *
 * @param type the user type
 * @param name the user name
 * @param publicKeyPem the user's RSA public key as PEM (PKCS#1 or SubjectPublicKeyInfo)
 * @param attributes user attributes (copied, unmodifiable)
 */
public record NewUser(UserType type, String name, String publicKeyPem, Map<String, String> attributes) {
  /** The attribute that binds the {@code kmsCryptoUser} to its HSM slot. */
  public static final String CXI_GROUP = "CXI_GROUP";

  /**
   * Validates and copies.
   *
   * @param type the user type
   * @param name the user name
   * @param publicKeyPem the user's RSA public key as PEM (PKCS#1 or SubjectPublicKeyInfo)
   * @param attributes user attributes (copied, unmodifiable)
   */
  public NewUser {
    Objects.requireNonNull(type, "type");
    CryptoUnit.requireText(name, "name");
    CryptoUnit.requireText(publicKeyPem, "publicKeyPem");
    attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
  }

  /**
   * Creates an administrator user.
   *
   * @param name the administrator name
   * @param publicKeyPem its public key, PEM
   * @return the user
   */
  public static NewUser admin(String name, String publicKeyPem) {
    return new NewUser(UserType.ADMIN, name, publicKeyPem, Map.of());
  }

  @Override
  public String toString() {
    return "NewUser[type=" + type.wireValue() + ", name=" + name + ", attributes=" + attributes + "]";
  }
}
