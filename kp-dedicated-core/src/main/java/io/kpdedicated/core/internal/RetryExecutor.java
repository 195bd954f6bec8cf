package io.kpdedicated.core.internal;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.Step;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs calls with retries, Resilience4j being the engine: one {@link Retry} per kind of operation
 * ({@link Step}), named {@code kp-dedicated-<step>} and taken from the caller's
 * {@link RetryRegistry} (so its metrics and events are reachable there), a fresh
 * {@link Retry.Context} per call. The user's {@link RetryConfig} keeps every setting (attempts,
 * exception and result predicates, fail-after-max-attempts, consumers); the initializer only
 * narrows the exception predicate to retryable failures and raises waits to a service's retry
 * delay.
 *
 * <p>Waiting is not left to Resilience4j (it would call {@code Thread.sleep}): the retries run on
 * the user's configuration with zero intervals, and the real wait is computed from the user's
 * interval function and spent through the injected {@link Sleeper}. Each retry is published as a
 * {@link InitializationEvent.Retrying} event. Thread-safe.
 */
final class RetryExecutor {
  private final IntervalBiFunction<Object> intervals;
  private final Map<Step, Retry> retries = new EnumMap<>(Step.class);
  private final Sleeper sleeper;
  private final Events events;

  RetryExecutor(RetryConfig user, RetryRegistry registry, Sleeper sleeper, Events events) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(registry, "registry");
    this.intervals = Backoff.honourRetryAfter(user.getIntervalBiFunction());
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.events = Objects.requireNonNull(events, "events");
    RetryConfig gate = RetryConfig.from(user)
        .retryOnException(Backoff.retryablePredicate(user.getExceptionPredicate()))
        .intervalBiFunction((attempt, outcome) -> 0L)
        .build();
    for (Step step : Step.values()) {
      retries.put(step, registry.retry(nameOf(step), gate));
    }
  }

  static RetryExecutor forSettings(InitializerSettings settings, Events events) {
    return new RetryExecutor(settings.retryConfig(), settings.retryRegistry(), settings.sleeper(),
        events);
  }

  /**
   * Returns the name of the Resilience4j retry used for a step.
   *
   * @param step the step
   * @return {@code kp-dedicated-} and the step in lower case, e.g. {@code kp-dedicated-claim}
   */
  static String nameOf(Step step) {
    return "kp-dedicated-" + step.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Runs {@code call}, retrying retryable failures (and results the configuration retries on).
   *
   * @param <T> the result type
   * @param step the kind of operation
   * @param unitId the unit, or {@code null}
   * @param attempts counts every attempt made (may be shared by several calls)
   * @param call the call
   * @return the call's result
   * @throws RuntimeException the last failure when it is not retryable or attempts are exhausted
   */
  <T> T call(Step step, String unitId, AtomicInteger attempts, Supplier<T> call) {
    Objects.requireNonNull(call, "call");
    Retry.Context<T> context = retries.get(step).context();
    int attempt = 0;
    while (true) {
      attempt++;
      attempts.incrementAndGet();
      T result;
      try {
        result = call.get();
      } catch (RuntimeException failure) {
        context.onRuntimeError(failure); // rethrows when not retryable or attempts are exhausted
        Duration delay = Duration.ofMillis(Math.max(0L,
            intervals.apply(attempt, Either.left(failure))));
        events.publish(new InitializationEvent.Retrying(step, unitId, attempt, delay,
            Failures.asSdkException(failure, step, unitId)));
        sleep(delay, step, unitId);
        continue;
      }
      if (context.onResult(result)) {
        sleep(Duration.ofMillis(Math.max(0L, intervals.apply(attempt, Either.right(result)))),
            step, unitId);
        continue;
      }
      context.onComplete();
      return result;
    }
  }

  private void sleep(Duration delay, Step step, String unitId) {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failures.interrupted("waiting to retry " + step, unitId, e);
    }
  }
}
