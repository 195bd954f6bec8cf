package io.kpdedicated.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * What an injected fault does to a call of the in-memory cloud. Immutable values; combine one with
 * an operation, a unit and a count in a {@link FaultRule}.
 */
public sealed interface Fault
    permits Fault.ErrorStatus, Fault.ConnectionDrop, Fault.ResponseLost, Fault.Maintenance,
        Fault.Latency {

  /**
   * The service answers with an error and does nothing.
   *
   * @param status the HTTP-like status, 400..599
   * @param serviceCode the service's error code, e.g. {@code SERVICE_UNAVAILABLE}; not blank
   * @param message the error message; not null
   * @param retryAfter the {@code Retry-After} delay, or {@code null} for none
   */
  record ErrorStatus(int status, String serviceCode, String message, Duration retryAfter)
      implements Fault {
    /**
     * Validates the fields.
     *
     * @param status the HTTP-like status, 400..599
     * @param serviceCode the service's error code, e.g. {@code SERVICE_UNAVAILABLE}; not blank
     * @param message the error message; not null
     * @param retryAfter the {@code Retry-After} delay, or {@code null} for none
     */
    public ErrorStatus {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status must be 400..599, got " + status);
      }
      Objects.requireNonNull(serviceCode, "serviceCode");
      if (serviceCode.isBlank()) {
        throw new IllegalArgumentException("serviceCode must not be blank");
      }
      Objects.requireNonNull(message, "message");
      if (retryAfter != null && retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative");
      }
    }
  }

  /** The connection drops before the service sees the call: a retryable transport failure. */
  record ConnectionDrop() implements Fault {}

  /**
   * The service performs the call, then the connection drops before the answer arrives: the
   * caller sees a retryable transport failure although the change was made.
   */
  record ResponseLost() implements Fault {}

  /**
   * The unit is in maintenance for the call: it reports the state {@code maintenance} in unit
   * listings and its calls fail with a retryable {@code 503}. Needs a specific unit.
   */
  record Maintenance() implements Fault {}

  /**
   * The call is delayed (through the cloud's {@link io.kpdedicated.core.Sleeper}), then proceeds.
   *
   * @param delay how long, not negative
   */
  record Latency(Duration delay) implements Fault {
    /**
     * Validates the delay.
     *
     * @param delay how long, not negative
     */
    public Latency {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative");
      }
    }
  }
}
