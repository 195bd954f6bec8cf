package io.kpdedicated.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * A user present on a crypto unit.
 *
 * @param name the user name
 * @param type the user type
 * @param attributes user attributes, for example {@code CXI_GROUP=SLOT_0001} (copied, unmodifiable)
 */
public record CryptoUser(String name, UserType type, Map<String, String> attributes) {
  /**
   * Validates and copies.
   *
   * @param name the user name
   * @param type the user type
   * @param attributes user attributes, for example {@code CXI_GROUP=SLOT_0001} (copied,
   *     unmodifiable)
   */
  public CryptoUser {
    CryptoUnit.requireText(name, "name");
    Objects.requireNonNull(type, "type");
    attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
  }
}
