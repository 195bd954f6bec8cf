package io.kpdedicated.core.spi;

/**
 * What kind of failure a transport reports, set by the transport from what it knows (an HTTP
 * status and error code, a native library's status code, an I/O exception) so that the initializer
 * never has to parse text or status codes. Each kind has a default for whether a retry can help;
 * a transport may say otherwise for one failure.
 */
public enum FailureKind {
  /** The instance, unit or user does not exist. */
  NOT_FOUND(false),
  /** What the call would create exists already (a claimed unit, a loaded key, a user). */
  ALREADY_EXISTS(false),
  /** The unit or instance is not in the state the call needs (for example not claimed yet). */
  WRONG_STATE(false),
  /** The caller's credentials (token, API key) were refused or lack access. */
  NOT_AUTHORIZED(false),
  /**
   * The unit refused the administrator credential of a session: it was claimed with another
   * administrator key.
   */
  NOT_ADMIN(false),
  /** The unit is in maintenance (at most one at a time); retry later. */
  MAINTENANCE(true),
  /** The service limits the caller's rate; retry after the delay it asked for. */
  RATE_LIMITED(true),
  /** The service is temporarily unable to answer (overload, restart, upstream failure). */
  UNAVAILABLE(true),
  /** No answer arrived in time. */
  TIMEOUT(true),
  /** The connection failed or dropped. */
  CONNECTION(true),
  /** The answer could not be understood (truncated or malformed). */
  INVALID_ANSWER(true),
  /** The request was refused as invalid; sending it again changes nothing. */
  INVALID_REQUEST(false),
  /** The service or library failed internally; it asks to try again. */
  INTERNAL(true),
  /** Nothing more specific is known. */
  UNKNOWN(false);

  private final boolean retryableByDefault;

  FailureKind(boolean retryableByDefault) {
    this.retryableByDefault = retryableByDefault;
  }

  /**
   * {@return whether a failure of this kind is worth retrying unless the transport says otherwise}
   */
  public boolean retryableByDefault() {
    return retryableByDefault;
  }
}
