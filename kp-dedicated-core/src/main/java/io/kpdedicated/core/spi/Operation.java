package io.kpdedicated.core.spi;

/**
 * The calls a transport makes: one per method of the SPI ({@link ProvisioningApi},
 * {@link CryptoUnitApi}, {@link HsmSession}) plus the token a REST transport obtains. Failures name
 * the operation that failed; the initializer's {@link io.kpdedicated.core.Step steps} are made of
 * these operations ({@link io.kpdedicated.core.Step#operations()}). The kebab-case
 * {@link #wireName()} is how logs, fault injection and the command line spell them.
 */
public enum Operation {
  /** Obtain an access token for the service. */
  TOKEN("token"),
  /** Find an instance by name. */
  FIND_INSTANCE("find-instance"),
  /** Create an instance. */
  CREATE_INSTANCE("create-instance"),
  /** Read an instance. */
  GET_INSTANCE("get-instance"),
  /** List the crypto units. */
  LIST_UNITS("list-units"),
  /** Claim a unit with an admin public key. */
  CLAIM("claim"),
  /** Zeroize a unit. */
  ZEROIZE("zeroize"),
  /** Read the kmsCryptoUser metadata. */
  CRYPTO_USER_METADATA("crypto-user-metadata"),
  /** Open an admin-authenticated HSM session. */
  OPEN_SESSION("open-session"),
  /** List a unit's users. */
  LIST_USERS("list-users"),
  /** Add a user to a unit. */
  ADD_USER("add-user"),
  /** List a unit's master keys with their check values. */
  LIST_MASTER_KEYS("list-master-keys"),
  /** Generate the master key inside a unit's session. */
  GENERATE_MASTER_KEY("generate-master-key"),
  /** Import the master key into a unit. */
  IMPORT_MASTER_KEY("import-master-key");

  private final String wireName;

  Operation(String wireName) {
    this.wireName = wireName;
  }

  /** {@return the operation's kebab-case name, e.g. {@code import-master-key}} */
  public String wireName() {
    return wireName;
  }

  /**
   * Finds an operation by its kebab-case name.
   *
   * @param name the name, e.g. {@code claim}
   * @return the operation
   * @throws IllegalArgumentException if no operation has that name (the message lists the valid ones)
   */
  public static Operation fromWireName(String name) {
    for (Operation op : values()) {
      if (op.wireName.equals(name)) {
        return op;
      }
    }
    StringBuilder valid = new StringBuilder();
    for (Operation op : values()) {
      valid.append(valid.length() == 0 ? "" : ", ").append(op.wireName);
    }
    throw new IllegalArgumentException("unknown operation '" + name + "'; valid: " + valid);
  }
}
