package io.kpdedicated.core.internal;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.spi.ServiceException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Builds the Resilience4j configuration the initializer retries with, from a {@link RetryPolicy}
 * or a user's {@link RetryConfig}: only {@linkplain KpDedicatedException#retryable() retryable}
 * failures are retried, and the wait is never shorter than a service's {@code Retry-After}.
 * Stateless.
 */
public final class Backoff {
  private Backoff() {}

  /**
   * Returns the predicate that decides which failures are retried: retryable SDK exceptions that
   * the extra predicate also accepts.
   *
   * @param also an extra condition (a user's predicate), or {@code null}
   * @return the predicate
   */
  public static Predicate<Throwable> retryablePredicate(Predicate<Throwable> also) {
    Predicate<Throwable> base = t -> t instanceof KpDedicatedException k && k.retryable();
    return also == null ? base : base.and(also);
  }

  /**
   * Returns the exponential-backoff-with-jitter interval function of a policy, raised to
   * {@code Retry-After} where the failure carries one.
   *
   * @param policy the policy
   * @param random the source of jitter
   * @return milliseconds to wait after attempt {@code n} failed with the given outcome
   */
  public static IntervalBiFunction<Object> intervals(RetryPolicy policy, SecureRandom random) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(random, "random");
    IntervalBiFunction<Object> base = (attempt, outcome) -> {
      double u = policy.jitter() == 0.0 ? 0.5 : random.nextDouble();
      return policy.delayBeforeRetry(attempt, u).toMillis();
    };
    return honourRetryAfter(base);
  }

  /**
   * Wraps an interval function so that it never waits less than a failure's {@code Retry-After}.
   *
   * @param inner the interval function
   * @return the wrapped function
   */
  public static IntervalBiFunction<Object> honourRetryAfter(IntervalBiFunction<Object> inner) {
    Objects.requireNonNull(inner, "inner");
    return (attempt, outcome) -> {
      long millis = Math.max(0L, inner.apply(attempt, outcome));
      Duration retryAfter = retryAfter(outcome);
      return retryAfter == null ? millis : Math.max(millis, retryAfter.toMillis());
    };
  }

  private static Duration retryAfter(Either<Throwable, Object> outcome) {
    if (outcome != null && outcome.isLeft() && outcome.getLeft() instanceof ServiceException s) {
      return s.retryAfter().orElse(null);
    }
    return null;
  }

  /**
   * Builds the effective configuration from a policy.
   *
   * @param policy the policy
   * @param random the source of jitter
   * @return the configuration
   */
  public static RetryConfig configFor(RetryPolicy policy, SecureRandom random) {
    return RetryConfig.custom()
        .maxAttempts(policy.maxAttempts())
        .retryOnException(retryablePredicate(null))
        .intervalBiFunction(intervals(policy, random))
        .build();
  }

  /**
   * Builds the effective configuration from a user's Resilience4j configuration: its attempts,
   * predicate (narrowed to retryable failures) and intervals (raised to {@code Retry-After}).
   *
   * @param user the user's configuration
   * @return the configuration
   */
  public static RetryConfig configFor(RetryConfig user) {
    IntervalBiFunction<Object> userIntervals = user.getIntervalBiFunction();
    return RetryConfig.custom()
        .maxAttempts(user.getMaxAttempts())
        .retryOnException(retryablePredicate(user.getExceptionPredicate()))
        .intervalBiFunction(honourRetryAfter(userIntervals))
        .build();
  }
}
