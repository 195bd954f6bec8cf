package io.kpdedicated.http;

import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.http.internal.StatusFacts;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link ServiceException} that came as an HTTP error answer: it adds the HTTP status. The
 * {@link #kind() kind}, whether a retry can help and the remediation are derived from the status,
 * the error code and the message (a unit in maintenance is retryable whatever the status). Build
 * instances with {@link #builder(Operation, int, String)}.
 */
public final class HttpServiceException extends ServiceException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status. */
  private final int status;

  private HttpServiceException(Builder b, FailureKind kind) {
    super(b.operation, kind, b.message, b.unitId, b.serviceCode, b.requestId, b.retryAfter,
        b.remediation != null ? b.remediation
            : StatusFacts.remediation(b.status, b.serviceCode, b.message, kind),
        b.retryable, b.cause);
    this.status = b.status;
  }

  /**
   * Starts a builder.
   *
   * @param operation the operation that failed
   * @param status the HTTP status, 100 to 599
   * @param message what went wrong (never secrets)
   * @return a builder
   * @throws IllegalArgumentException if the status is out of range
   */
  public static Builder builder(Operation operation, int status, String message) {
    return new Builder(operation, status, message);
  }

  /**
   * Returns whether a status alone is worth retrying: 408, 429 and 5xx.
   *
   * @param status the HTTP status
   * @return true for 408, 429 and 500-599
   */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
  }

  /** {@return the HTTP status} */
  public int status() {
    return status;
  }

  /** Builds {@link HttpServiceException}s. Not thread-safe. */
  public static final class Builder {
    private final Operation operation;
    /** The HTTP status. */
    private final int status;
    private final String message;
    private FailureKind kind;
    private String unitId;
    private String serviceCode;
    private String requestId;
    private Boolean retryable;
    private Duration retryAfter;
    private String remediation;
    private Throwable cause;

    private Builder(Operation operation, int status, String message) {
      this.operation = Objects.requireNonNull(operation, "operation");
      this.message = Objects.requireNonNull(message, "message");
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("status must be 100 to 599, got " + status);
      }
      this.status = status;
    }

    /**
     * Overrides the kind (by default derived from status, code and message).
     *
     * @param kind the kind
     * @return this builder
     */
    public Builder kind(FailureKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /**
     * Sets the unit concerned.
     *
     * @param unitId the unit, or null for none
     * @return this builder
     */
    public Builder unitId(String unitId) {
      this.unitId = unitId;
      return this;
    }

    /**
     * Sets the service's error code.
     *
     * @param serviceCode the code, or null for none
     * @return this builder
     */
    public Builder serviceCode(String serviceCode) {
      this.serviceCode = serviceCode;
      return this;
    }

    /**
     * Sets the request id.
     *
     * @param requestId the id, or null for none
     * @return this builder
     */
    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    /**
     * Overrides whether a retry can help (by default what the kind says).
     *
     * @param retryable whether a retry can help
     * @return this builder
     */
    public Builder retryable(boolean retryable) {
      this.retryable = retryable;
      return this;
    }

    /**
     * Sets the delay the service asked for ({@code Retry-After}).
     *
     * @param retryAfter the delay, or null for none
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder retryAfter(Duration retryAfter) {
      if (retryAfter != null && retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative");
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /**
     * Overrides the remediation hint.
     *
     * @param remediation the hint, or null for the derived one
     * @return this builder
     */
    public Builder remediation(String remediation) {
      this.remediation = remediation;
      return this;
    }

    /**
     * Sets the cause.
     *
     * @param cause the cause, or null
     * @return this builder
     */
    public Builder cause(Throwable cause) {
      this.cause = cause;
      return this;
    }

    /**
     * Builds the exception.
     *
     * @return the exception
     */
    public HttpServiceException build() {
      FailureKind k = kind != null ? kind
          : StatusFacts.kindOf(operation, status, serviceCode, message);
      return new HttpServiceException(this, k);
    }
  }
}
