package io.kpdedicated.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How the initializer polls for something that takes time: an instance becoming {@code active}, or
 * a crypto unit leaving {@code maintenance}. Polls start {@code initialInterval} apart, grow by
 * {@code multiplier} up to {@code maxInterval}, and stop with
 * {@link WaitTimeoutException} once {@code timeout} has passed on the injected clock.
 *
 * @param initialInterval the wait after the first poll, positive
 * @param maxInterval the longest wait between polls, at least {@code initialInterval}
 * @param multiplier the growth per poll, at least 1.0
 * @param timeout the total time budget, positive
 */
public record WaitPolicy(Duration initialInterval, Duration maxInterval, double multiplier,
    Duration timeout) {

  /**
   * Validates the fields.
   *
   * @param initialInterval the wait after the first poll, positive
   * @param maxInterval the longest wait between polls, at least {@code initialInterval}
   * @param multiplier the growth per poll, at least 1.0
   * @param timeout the total time budget, positive
   */
  public WaitPolicy {
    Objects.requireNonNull(initialInterval, "initialInterval");
    Objects.requireNonNull(maxInterval, "maxInterval");
    Objects.requireNonNull(timeout, "timeout");
    if (initialInterval.isNegative() || initialInterval.isZero()) {
      throw new IllegalArgumentException("initialInterval must be positive");
    }
    if (maxInterval.compareTo(initialInterval) < 0) {
      throw new IllegalArgumentException("maxInterval (" + maxInterval
          + ") must not be shorter than initialInterval (" + initialInterval + ")");
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be a finite number >= 1.0, got "
          + multiplier);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }

  /**
   * The default for provisioning: polls 5 s apart growing by 1.5 up to 1 min, for at most 90 min.
   *
   * @return the policy
   */
  public static WaitPolicy provisioningDefaults() {
    return new WaitPolicy(Duration.ofSeconds(5), Duration.ofMinutes(1), 1.5, Duration.ofMinutes(90));
  }

  /**
   * The default for a unit in maintenance: polls 10 s apart doubling up to 1 min, for at most 15 min.
   *
   * @return the policy
   */
  public static WaitPolicy maintenanceDefaults() {
    return new WaitPolicy(Duration.ofSeconds(10), Duration.ofMinutes(1), 2.0, Duration.ofMinutes(15));
  }

  /**
   * Returns a copy with another timeout.
   *
   * @param newTimeout the total budget, positive
   * @return the copy
   */
  public WaitPolicy withTimeout(Duration newTimeout) {
    return new WaitPolicy(initialInterval, maxInterval, multiplier, newTimeout);
  }

  /**
   * Returns the wait after poll {@code poll}.
   *
   * @param poll the poll number, from 1
   * @return {@code min(initialInterval * multiplier^(poll-1), maxInterval)}
   * @throws IllegalArgumentException if {@code poll < 1}
   */
  public Duration intervalAfterPoll(int poll) {
    if (poll < 1) {
      throw new IllegalArgumentException("poll must be at least 1, got " + poll);
    }
    double nanos = initialInterval.toNanos() * Math.pow(multiplier, poll - 1.0);
    return nanos >= maxInterval.toNanos() ? maxInterval : Duration.ofNanos(Math.round(nanos));
  }
}
