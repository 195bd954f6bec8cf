package io.kpdedicated.nativehsm;

/**
 * The exports of IBM's HSM library that {@link NativeHsm} calls, named as in the C header. Used in
 * messages and to pick a status code's remediation (the same code can mean different things for
 * different calls).
 */
public enum NativeCall {
  /** {@code CreateSessionC}: open an admin session on one unit. */
  CREATE_SESSION("CreateSessionC"),
  /** {@code CloseSessionC}. */
  CLOSE_SESSION("CloseSessionC"),
  /** {@code SetTokenGetterC}: replace the session's IAM token. */
  SET_TOKEN("SetTokenGetterC"),
  /** {@code ListUsersC}. */
  LIST_USERS("ListUsersC"),
  /** {@code AddUserC}. */
  ADD_USER("AddUserC"),
  /** {@code GenerateRSAKeyC}: write an admin {@code .key} file. */
  GENERATE_RSA_KEY("GenerateRSAKeyC"),
  /** {@code ListMBKKeysC}. */
  LIST_MASTER_KEYS("ListMBKKeysC"),
  /** {@code GenerateMBKC}: generate the master key and write its share files. */
  GENERATE_MASTER_KEY("GenerateMBKC"),
  /** {@code ImportMBKC}: load the master key from its share files. */
  IMPORT_MASTER_KEY("ImportMBKC"),
  /** {@code GetCryptoUnitIDC}. */
  GET_CRYPTO_UNIT_ID("GetCryptoUnitIDC");

  private final String symbol;

  NativeCall(String symbol) {
    this.symbol = symbol;
  }

  /** {@return the exported C symbol, e.g. {@code ImportMBKC}} */
  public String symbol() {
    return symbol;
  }
}
