package io.kpdedicated.core.spi;

import io.kpdedicated.KpDedicatedException;
import java.util.Objects;

/**
 * No usable answer arrived: the connection failed or dropped, the call timed out, or the answer
 * could not be understood (truncated or malformed body).
 *
 * <p>I/O failures and timeouts are retryable; a malformed answer is retryable too by default
 * (proxies and overloaded services produce them), but transports can say otherwise.
 */
public class TransportException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  /** The operation that failed. */
  private final Operation operation;
  /** What happened. */
  private final FailureKind kind;

  /**
   * Creates an exception.
   *
   * @param operation the operation that failed
   * @param kind what happened: {@link FailureKind#CONNECTION}, {@link FailureKind#TIMEOUT} or
   *     {@link FailureKind#INVALID_ANSWER} usually
   * @param unitId the unit concerned, or {@code null}
   * @param message what went wrong (never secrets)
   * @param remediation what to do, or {@code null}
   * @param retryable whether a retry can help
   * @param cause the underlying cause, or {@code null}
   */
  public TransportException(Operation operation, FailureKind kind, String unitId, String message,
      String remediation, boolean retryable, Throwable cause) {
    super(message, unitId, remediation, retryable, cause);
    this.operation = Objects.requireNonNull(operation, "operation");
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * Creates a connection failure.
   *
   * @param operation the operation that failed
   * @param unitId the unit concerned, or {@code null}
   * @param message what went wrong (never secrets)
   * @param remediation what to do, or {@code null}
   * @param retryable whether a retry can help
   * @param cause the underlying cause, or {@code null}
   */
  public TransportException(Operation operation, String unitId, String message, String remediation,
      boolean retryable, Throwable cause) {
    this(operation, FailureKind.CONNECTION, unitId, message, remediation, retryable, cause);
  }

  /** {@return the operation that failed} */
  public Operation operation() {
    return operation;
  }

  /** {@return what happened} */
  public FailureKind kind() {
    return kind;
  }
}
