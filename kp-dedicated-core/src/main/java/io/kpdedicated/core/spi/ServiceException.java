package io.kpdedicated.core.spi;

import io.kpdedicated.KpDedicatedException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The service answered a call with an error.
 *
 * <p>Carries the operation, the unit (where one is concerned), the HTTP status (0 when the
 * transport is not HTTP), the service's error code, the request id to quote to support, whether a
 * retry can help (429, 5xx, unit in maintenance) and a {@code Retry-After} delay when the service
 * sent one. Build instances with {@link #builder(Operation, String)}.
 */
public class ServiceException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  private final Operation operation;
  private final int status;
  private final String serviceCode;
  private final String requestId;
  private final transient Duration retryAfter;

  /**
   * Creates an exception from a builder.
   *
   * @param b the builder
   */
  protected ServiceException(Builder b) {
    super(b.message, b.unitId, b.remediation != null ? b.remediation : Remediations.forStatus(b.status, b.serviceCode, b.message),
        b.retryable != null ? b.retryable : isRetryableStatus(b.status), b.cause);
    this.operation = b.operation;
    this.status = b.status;
    this.serviceCode = b.serviceCode;
    this.requestId = b.requestId;
    this.retryAfter = b.retryAfter;
  }

  /**
   * Starts a builder.
   *
   * @param operation the operation that failed
   * @param message what went wrong (never secrets)
   * @return a builder
   */
  public static Builder builder(Operation operation, String message) {
    return new Builder(operation, message);
  }

  /**
   * Returns whether a status alone is worth retrying: 408, 429 and 5xx. Other retryable cases (a
   * unit in maintenance, whatever its status) are marked by the transport with
   * {@link Builder#retryable(boolean)}.
   *
   * @param status the HTTP status, 0 for none
   * @return true for 408, 429 and 500-599
   */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
  }

  /** Returns the operation that failed. */
  public Operation operation() {
    return operation;
  }

  /** Returns the HTTP status, or 0 when there is none. */
  public int status() {
    return status;
  }

  /** Returns the service's error code, if it sent one. */
  public Optional<String> serviceCode() {
    return Optional.ofNullable(serviceCode);
  }

  /** Returns the request id to quote to support, if known. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** Returns how long the service asked the caller to wait before retrying, if it did. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Builds {@link ServiceException}s. Not thread-safe. */
  public static final class Builder {
    private final Operation operation;
    private final String message;
    private String unitId;
    private int status;
    private String serviceCode;
    private String requestId;
    private Boolean retryable;
    private Duration retryAfter;
    private String remediation;
    private Throwable cause;

    private Builder(Operation operation, String message) {
      this.operation = Objects.requireNonNull(operation, "operation");
      this.message = Objects.requireNonNull(message, "message");
    }

    /** Sets the unit concerned (null for none). */
    public Builder unitId(String unitId) {
      this.unitId = unitId;
      return this;
    }

    /** Sets the HTTP status (0 for none). */
    public Builder status(int status) {
      this.status = status;
      return this;
    }

    /** Sets the service's error code (null for none). */
    public Builder serviceCode(String serviceCode) {
      this.serviceCode = serviceCode;
      return this;
    }

    /** Sets the request id (null for none). */
    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    /** Overrides whether a retry can help (by default: 408, 429 and 5xx). */
    public Builder retryable(boolean retryable) {
      this.retryable = retryable;
      return this;
    }

    /** Sets the delay the service asked for (null for none). */
    public Builder retryAfter(Duration retryAfter) {
      if (retryAfter != null && retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative");
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /** Overrides the remediation hint (by default one is derived from status and code). */
    public Builder remediation(String remediation) {
      this.remediation = remediation;
      return this;
    }

    /** Sets the cause. */
    public Builder cause(Throwable cause) {
      this.cause = cause;
      return this;
    }

    /** Builds the exception. */
    public ServiceException build() {
      return new ServiceException(this);
    }
  }
}
