package io.kpdedicated.core;

import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A shorthand for the common Resilience4j retry configuration: exponential backoff with jitter,
 * capped. {@link #toRetryConfig()} turns it into the {@link RetryConfig} the initializer uses (the
 * one retry API); {@code DedicatedInitializer.Builder.retryPolicy(p)} is
 * {@code retryConfig(p.toRetryConfig())}. Whatever the configuration, the initializer retries only
 * {@linkplain io.kpdedicated.KpDedicatedException#retryable() retryable} failures and never waits
 * less than the {@code Retry-After} delay the service asked for.
 *
 * <p>The wait before retry {@code n} (after the {@code n}-th failed attempt, {@code n >= 1}) is
 * {@code min(initialInterval * multiplier^(n-1), maxInterval)}, spread uniformly by
 * {@code ±jitter} of itself, then raised to the service's {@code Retry-After} when that is longer.
 *
 * @param maxAttempts attempts per call including the first, at least 1 (1 = no retry)
 * @param initialInterval the wait before the first retry, not negative
 * @param multiplier the growth per retry, at least 1.0
 * @param maxInterval the longest wait (before jitter), at least {@code initialInterval}
 * @param jitter the relative spread, in {@code [0, 1)}; 0 gives exact waits
 */
public record RetryPolicy(int maxAttempts, Duration initialInterval, double multiplier,
    Duration maxInterval, double jitter) {

  /**
   * Validates the fields.
   *
   * @param maxAttempts attempts per call including the first, at least 1 (1 = no retry)
   * @param initialInterval the wait before the first retry, not negative
   * @param multiplier the growth per retry, at least 1.0
   * @param maxInterval the longest wait (before jitter), at least {@code initialInterval}
   * @param jitter the relative spread, in {@code [0, 1)}; 0 gives exact waits
   */
  public RetryPolicy {
    Objects.requireNonNull(initialInterval, "initialInterval");
    Objects.requireNonNull(maxInterval, "maxInterval");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1 (1 = no retry), got "
          + maxAttempts);
    }
    if (initialInterval.isNegative()) {
      throw new IllegalArgumentException("initialInterval must not be negative");
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be a finite number >= 1.0, got "
          + multiplier);
    }
    if (maxInterval.compareTo(initialInterval) < 0) {
      throw new IllegalArgumentException("maxInterval (" + maxInterval
          + ") must not be shorter than initialInterval (" + initialInterval + ")");
    }
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
    }
  }

  /**
   * The default policy: 5 attempts, 500 ms, doubling, at most 30 s, ±20 % jitter.
   *
   * @return the policy
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(500), 2.0, Duration.ofSeconds(30), 0.2);
  }

  /**
   * A policy that never retries.
   *
   * @return the policy
   */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, 0.0);
  }

  /**
   * Returns a copy with another attempt count.
   *
   * @param attempts attempts including the first, at least 1
   * @return the copy
   */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, initialInterval, multiplier, maxInterval, jitter);
  }

  /**
   * Returns a copy without jitter (exact, predictable waits).
   *
   * @return the copy
   */
  public RetryPolicy withoutJitter() {
    return new RetryPolicy(maxAttempts, initialInterval, multiplier, maxInterval, 0.0);
  }

  /**
   * Returns the Resilience4j configuration of this policy: its attempts, and its backoff as the
   * interval function (jitter drawn from {@link ThreadLocalRandom}; none when {@code jitter} is 0).
   *
   * @return the configuration
   */
  public RetryConfig toRetryConfig() {
    return RetryConfig.custom()
        .maxAttempts(maxAttempts)
        .intervalBiFunction((attempt, outcome) -> delayBeforeRetry(attempt,
            jitter == 0.0 ? 0.5 : ThreadLocalRandom.current().nextDouble()).toMillis())
        .build();
  }

  /**
   * Computes the wait before retry {@code retry}, ignoring any {@code Retry-After}.
   *
   * @param retry the retry number, from 1 (the wait after the first failed attempt)
   * @param unitRandom a uniformly distributed value in {@code [0, 1)}; 0.5 means "no spread"
   * @return the wait, never negative
   * @throws IllegalArgumentException if {@code retry < 1} or {@code unitRandom} is outside [0, 1)
   */
  public Duration delayBeforeRetry(int retry, double unitRandom) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be at least 1, got " + retry);
    }
    if (!(unitRandom >= 0.0 && unitRandom < 1.0)) {
      throw new IllegalArgumentException("unitRandom must be in [0, 1), got " + unitRandom);
    }
    double base = initialInterval.toNanos() * Math.pow(multiplier, retry - 1.0);
    double capped = Math.min(base, maxInterval.toNanos());
    double spread = capped * (1.0 + jitter * (2.0 * unitRandom - 1.0));
    return Duration.ofNanos(Math.max(0L, Math.round(spread)));
  }
}
