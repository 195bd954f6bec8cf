package io.kpdedicated.core.internal;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.spi.ServiceException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What the initializer adds to any retry configuration: only
 * {@linkplain KpDedicatedException#retryable() retryable} failures are retried, and the wait is
 * never shorter than a service's retry delay. Stateless.
 */
final class Backoff {
  private Backoff() {}

  /**
   * Returns the predicate that decides which failures are retried: retryable SDK exceptions that
   * the extra predicate also accepts.
   *
   * @param also an extra condition (a user's predicate), or {@code null}
   * @return the predicate
   */
  static Predicate<Throwable> retryablePredicate(Predicate<Throwable> also) {
    Predicate<Throwable> base = t -> t instanceof KpDedicatedException k && k.retryable();
    return also == null ? base : base.and(also);
  }

  /**
   * Wraps an interval function so that it never waits less than a failure's retry delay.
   *
   * @param inner the interval function
   * @return the wrapped function
   */
  static IntervalBiFunction<Object> honourRetryAfter(IntervalBiFunction<Object> inner) {
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
}
