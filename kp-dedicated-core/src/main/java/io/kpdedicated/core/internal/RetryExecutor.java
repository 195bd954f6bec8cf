package io.kpdedicated.core.internal;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
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
 * Runs calls with retries: one Resilience4j {@link Retry} per kind of operation ({@link Step}),
 * a fresh {@link Retry.Context} per call, so that Resilience4j decides whether to try again
 * (attempts left, failure retryable) and keeps its metrics and events.
 *
 * <p>Waiting is not left to Resilience4j (it would call {@code Thread.sleep}): the contexts run on a
 * gate configuration with zero intervals, and the real wait is computed from the effective
 * configuration's interval function (backoff, jitter, {@code Retry-After}) and spent through the
 * injected {@link Sleeper}. Each retry is published as a {@link InitializationEvent.Retrying} event.
 * Thread-safe.
 */
public final class RetryExecutor {
  private final RetryConfig effective;
  private final IntervalBiFunction<Object> intervals;
  private final Map<Step, Retry> retries = new EnumMap<>(Step.class);
  private final Sleeper sleeper;
  private final Events events;

  /**
   * Creates an executor.
   *
   * @param effective the effective configuration (see {@link Backoff})
   * @param sleeper how to wait
   * @param events where to publish retry events
   */
  public RetryExecutor(RetryConfig effective, Sleeper sleeper, Events events) {
    this.effective = Objects.requireNonNull(effective, "effective");
    this.intervals = effective.getIntervalBiFunction();
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.events = Objects.requireNonNull(events, "events");
    RetryConfig gate = RetryConfig.custom()
        .maxAttempts(effective.getMaxAttempts())
        .retryOnException(effective.getExceptionPredicate())
        .intervalBiFunction((attempt, outcome) -> 0L)
        .build();
    for (Step step : Step.values()) {
      retries.put(step, Retry.of("kp-dedicated-" + step.name().toLowerCase(Locale.ROOT), gate));
    }
  }

  /**
   * Creates the executor a run uses: from the user's Resilience4j configuration if one was given,
   * otherwise from the retry policy.
   *
   * @param settings the initializer settings
   * @param events where to publish retry events
   * @return the executor
   */
  public static RetryExecutor forSettings(InitializerSettings settings, Events events) {
    RetryConfig effective = settings.retryConfig() != null
        ? Backoff.configFor(settings.retryConfig())
        : Backoff.configFor(settings.retryPolicy(), settings.random());
    return new RetryExecutor(effective, settings.sleeper(), events);
  }

  /** Returns the effective configuration. */
  public RetryConfig config() {
    return effective;
  }

  /**
   * Returns the Resilience4j retry used for a kind of operation (for its metrics and events).
   *
   * @param step the kind of operation
   * @return the retry
   */
  public Retry retryFor(Step step) {
    return retries.get(step);
  }

  /**
   * Runs {@code call}, retrying retryable failures.
   *
   * @param <T> the result type
   * @param step the kind of operation
   * @param unitId the unit, or {@code null}
   * @param attempts counts every attempt made (may be shared by several calls)
   * @param call the call
   * @return the call's result
   * @throws RuntimeException the last failure when it is not retryable or attempts are exhausted
   */
  public <T> T call(Step step, String unitId, AtomicInteger attempts, Supplier<T> call) {
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
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw Failures.interrupted("waiting to retry " + step, unitId, e);
        }
        continue;
      }
      context.onComplete();
      return result;
    }
  }
}
