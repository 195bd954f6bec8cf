package io.kpdedicated.nativehsm;

import java.util.Map;
import java.util.Objects;

/**
 * One row of the {@code ListUsersC} table.
 *
 * @param name the user name, padding removed
 * @param permission the permission mask as hex text, as reported (e.g. {@code 22000000})
 * @param mechanism the authentication mechanism, e.g. {@code RSA sign}
 * @param attributesText the attributes column as reported, e.g. {@code I[0]A[CXI_GROUP=SLOT_0068]}
 * @param attributes the {@code K=V} pairs found inside the attributes column (copied)
 */
public record NativeUser(String name, String permission, String mechanism, String attributesText,
    Map<String, String> attributes) {
  /**
   * Validates and copies.
   *
   * @param name the user name, padding removed
   * @param permission the permission mask as hex text, as reported (e.g. {@code 22000000})
   * @param mechanism the authentication mechanism, e.g. {@code RSA sign}
   * @param attributesText the attributes column as reported, e.g.
   *     {@code I[0]A[CXI_GROUP=SLOT_0068]}
   * @param attributes the {@code K=V} pairs found inside the attributes column (copied)
   */
  public NativeUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(permission, "permission");
    Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(attributesText, "attributesText");
    attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
  }

  /** {@return the permission mask as a number} */
  public long permissionBits() {
    return Long.parseLong(permission, 16);
  }
}
