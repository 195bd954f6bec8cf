package io.kpdedicated.nativehsm;

import io.kpdedicated.KpDedicatedException;
import java.util.Objects;
import java.util.Optional;

/**
 * A call into IBM's HSM library failed. Carries the call, the unit (where a session is
 * concerned), the library's status (when it returned one: {@code CreateSessionC} only says "no
 * session"), the library's own message with every secret of the call removed, whether a retry can
 * help and a remediation, all decided by {@link StatusCode}.
 */
public class NativeHsmException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  /** The call that failed. */
  private final NativeCall call;
  /** The library's status, if it returned one. */
  private final StatusCode status;
  /** The library's message (secrets removed), if it gave one. */
  private final String libraryMessage;

  /**
   * Creates an exception for a call that returned a status other than 0.
   *
   * @param call the call
   * @param unitId the unit, or null
   * @param status the status
   * @param libraryMessage the library's result text, secrets removed, or null
   */
  public NativeHsmException(NativeCall call, String unitId, StatusCode status,
      String libraryMessage) {
    super(message(call, unitId, status, libraryMessage), unitId,
        status.remediation(call).orElse(null), status.retryable(), null);
    this.call = Objects.requireNonNull(call, "call");
    this.status = status;
    this.libraryMessage = libraryMessage;
  }

  /**
   * Creates an exception for a failure without a status (e.g. {@code CreateSessionC} returned 0).
   *
   * @param call the call
   * @param unitId the unit, or null
   * @param message what went wrong (never secrets)
   * @param remediation what to do, or null
   * @param retryable whether a retry can help
   */
  public NativeHsmException(NativeCall call, String unitId, String message, String remediation,
      boolean retryable) {
    super(message, unitId, remediation, retryable, null);
    this.call = Objects.requireNonNull(call, "call");
    this.status = null;
    this.libraryMessage = null;
  }

  private static String message(NativeCall call, String unitId, StatusCode status,
      String libraryMessage) {
    Objects.requireNonNull(status, "status");
    StringBuilder sb = new StringBuilder(call.symbol()).append(" failed");
    if (unitId != null) {
      sb.append(" on unit ").append(unitId);
    }
    sb.append(": ").append(status);
    if (libraryMessage != null && !libraryMessage.isBlank()) {
      sb.append("; the library says: ").append(libraryMessage);
    }
    return sb.toString();
  }

  /** {@return the call that failed} */
  public NativeCall call() {
    return call;
  }

  /** {@return the library's status, if it returned one} */
  public Optional<StatusCode> status() {
    return Optional.ofNullable(status);
  }

  /** {@return the status as hex text (e.g. {@code 0xB906100E}), if there is one} */
  public Optional<String> code() {
    return status().map(StatusCode::hex);
  }

  /** {@return the library's message (secrets removed), if it gave one} */
  public Optional<String> libraryMessage() {
    return Optional.ofNullable(libraryMessage);
  }
}
