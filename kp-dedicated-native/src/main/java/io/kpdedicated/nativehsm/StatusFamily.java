package io.kpdedicated.nativehsm;

/**
 * The families of status codes IBM's HSM library returns, by code range. Whether a retry can help
 * is decided per code by {@link StatusCode}; the family gives the default.
 */
public enum StatusFamily {
  /** 0: success. */
  SUCCESS("success", false),
  /** {@code 0xC70000xx}: basic errors (arguments, versions, memory). */
  BASIC("basic", false),
  /** {@code 0xC70001xx}: connection to the unit failed, timed out, was refused or closed. */
  CONNECTION("connection", true),
  /** {@code 0xC70003xx}: authentication and permissions. */
  AUTHENTICATION("authentication", false),
  /** {@code 0xC70006xx}: session state. */
  SESSION("session", false),
  /** {@code 0xC7000Cxx}: user management. */
  USER("user", false),
  /** {@code 0xB1B39xxx} and {@code 0xB1B3Cxxx}: the service (crypto-unit management). */
  SERVICE("service", false),
  /** {@code 0xB906100x}: key files (admin {@code .key} file, share files). */
  KEY_FILE("key file", false),
  /** {@code 0xB90320xx}: HTTP and TLS between the library and the service. */
  HTTP("HTTP/TLS", false),
  /** {@code 0x00000008}: no valid IAM token. */
  IAM_TOKEN("IAM token", true),
  /** Any other value. */
  UNKNOWN("unknown", false);

  private final String label;
  private final boolean retryableByDefault;

  StatusFamily(String label, boolean retryableByDefault) {
    this.label = label;
    this.retryableByDefault = retryableByDefault;
  }

  /** {@return a short name for messages, e.g. {@code connection}} */
  public String label() {
    return label;
  }

  /**
   * {@return whether codes of this family are retryable unless {@link StatusCode} says otherwise}
   */
  public boolean retryableByDefault() {
    return retryableByDefault;
  }

  /**
   * Returns the family of a status.
   *
   * @param code the status as an unsigned 32-bit value (0..0xFFFFFFFF)
   * @return the family
   */
  public static StatusFamily of(long code) {
    if (code == 0) {
      return SUCCESS;
    }
    if (code == 0x00000008L) {
      return IAM_TOKEN;
    }
    long high = code & 0xFFFFFF00L;
    if (high == 0xC7000000L) {
      return BASIC;
    }
    if (high == 0xC7000100L) {
      return CONNECTION;
    }
    if (high == 0xC7000300L) {
      return AUTHENTICATION;
    }
    if (high == 0xC7000600L) {
      return SESSION;
    }
    if (high == 0xC7000C00L) {
      return USER;
    }
    if ((code & 0xFFFFF000L) == 0xB1B39000L || (code & 0xFFFFF000L) == 0xB1B3C000L) {
      return SERVICE;
    }
    if ((code & 0xFFFFFFF0L) == 0xB9061000L) {
      return KEY_FILE;
    }
    if (high == 0xB9032000L) {
      return HTTP;
    }
    return UNKNOWN;
  }
}
