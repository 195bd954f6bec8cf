package io.kpdedicated.core.model;

/** The kind of a crypto-unit user. */
public enum UserType {
  /** An administrator that signs HSM commands. */
  ADMIN("admin"),
  /** The user the Key Protect service itself uses to operate the unit. */
  KMS_CRYPTO_USER("kmsCryptoUser"),
  /** Any other kind. */
  OTHER("other");

  private final String wireValue;

  UserType(String wireValue) {
    this.wireValue = wireValue;
  }

  /** {@return the name used on the wire and by the command line} */
  public String wireValue() {
    return wireValue;
  }

  /**
   * Maps a wire value (case-insensitive) to a type; unknown values map to {@link #OTHER}.
   *
   * @param value the wire value, may be null
   * @return the type, never null
   */
  public static UserType fromWire(String value) {
    for (UserType t : values()) {
      if (t.wireValue.equalsIgnoreCase(value == null ? "" : value.trim())) {
        return t;
      }
    }
    return OTHER;
  }
}
