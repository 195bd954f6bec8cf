package io.kpdedicated.core.spi;

import io.kpdedicated.KpDedicatedException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The service (or the library that speaks for it) answered a call with an error.
 *
 * <p>Carries the facts the transport knows, typed so that nobody parses text: the
 * {@link #operation() operation}, the unit where one is concerned, the {@link #kind() kind} of
 * failure, the service's or library's error code as text, the request id to quote to support,
 * whether a retry can help (by default what the kind says) and a retry delay when the service
 * asked for one. Transports may subclass it to add their own facts (the REST transport adds the
 * HTTP status). Build instances with {@link #builder(Operation, FailureKind, String)}.
 */
public class ServiceException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  /** The operation that failed. */
  private final Operation operation;
  /** The kind of failure, as the transport classified it. */
  private final FailureKind kind;
  /** The service's or library's error code as text, if there was one. */
  private final String serviceCode;
  /** The request id to quote to support, if known. */
  private final String requestId;
  /** How long the service asked the caller to wait before retrying, if it did. */
  private final transient Duration retryAfter;

  /**
   * Creates an exception; subclasses pass every fact.
   *
   * @param operation the operation that failed
   * @param kind the kind of failure
   * @param message what went wrong (never secrets)
   * @param unitId the unit concerned, or {@code null}
   * @param serviceCode the service's or library's error code, or {@code null}
   * @param requestId the request id to quote to support, or {@code null}
   * @param retryAfter the delay the service asked for, or {@code null}
   * @param remediation what to do, or {@code null} for the kind's default hint
   * @param retryable whether a retry can help, or {@code null} for the kind's default
   * @param cause the cause, or {@code null}
   * @throws IllegalArgumentException if {@code retryAfter} is negative
   */
  protected ServiceException(Operation operation, FailureKind kind, String message, String unitId,
      String serviceCode, String requestId, Duration retryAfter, String remediation,
      Boolean retryable, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), unitId,
        remediation != null ? remediation : Remediations.forKind(kind),
        retryable != null ? retryable : kind.retryableByDefault(), cause);
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative");
    }
    this.operation = Objects.requireNonNull(operation, "operation");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.serviceCode = serviceCode;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }

  /**
   * Starts a builder.
   *
   * @param operation the operation that failed
   * @param kind the kind of failure
   * @param message what went wrong (never secrets)
   * @return a builder
   */
  public static Builder builder(Operation operation, FailureKind kind, String message) {
    return new Builder(operation, kind, message);
  }

  /** {@return the operation that failed} */
  public Operation operation() {
    return operation;
  }

  /** {@return the kind of failure, as the transport classified it} */
  public FailureKind kind() {
    return kind;
  }

  /** {@return the service's or library's error code as text, if there was one} */
  public Optional<String> serviceCode() {
    return Optional.ofNullable(serviceCode);
  }

  /** {@return the request id to quote to support, if known} */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** {@return how long the service asked the caller to wait before retrying, if it did} */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Builds {@link ServiceException}s. Not thread-safe. */
  public static final class Builder {
    /** The operation that failed. */
    private final Operation operation;
    /** The kind of failure, as the transport classified it. */
    private final FailureKind kind;
    private final String message;
    private String unitId;
    private String serviceCode;
    private String requestId;
    private Boolean retryable;
    private Duration retryAfter;
    private String remediation;
    private Throwable cause;

    private Builder(Operation operation, FailureKind kind, String message) {
      this.operation = Objects.requireNonNull(operation, "operation");
      this.kind = Objects.requireNonNull(kind, "kind");
      this.message = Objects.requireNonNull(message, "message");
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
     * Sets the service's or library's error code.
     *
     * @param serviceCode the code as text, or null for none
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
     * Sets the delay the service asked for.
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
     * Overrides the remediation hint (by default the kind's hint).
     *
     * @param remediation the hint, or null for the default
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
    public ServiceException build() {
      return new ServiceException(operation, kind, message, unitId, serviceCode, requestId,
          retryAfter, remediation, retryable, cause);
    }
  }
}
