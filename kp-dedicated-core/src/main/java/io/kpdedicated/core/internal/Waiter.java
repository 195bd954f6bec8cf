package io.kpdedicated.core.internal;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.WaitTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Polls until something is ready, with growing intervals and a time budget measured on the
 * injected clock, like an AWS waiter: each observation is classified as done, not yet, or terminal
 * (the classifier throws). Retryable read failures count as "not yet". Thread-safe.
 */
final class Waiter {
  private final Clock clock;
  private final Sleeper sleeper;
  private final Events events;

  /**
   * Creates a waiter.
   *
   * @param clock measures the budget
   * @param sleeper waits between polls
   * @param events receives a {@link InitializationEvent.Waiting} event per poll that is not done
   */
  public Waiter(Clock clock, Sleeper sleeper, Events events) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * What a poll saw.
   *
   * @param <T> the observation type
   * @param done whether the wait is over
   * @param value the observation
   * @param state the state to report in events and timeouts
   */
  public record Observation<T>(boolean done, T value, String state) {
    /**
     * The wait is over.
     *
     * @param <T> the observation type
     * @param value the observation
     * @param state its state
     * @return the observation
     */
    public static <T> Observation<T> done(T value, String state) {
      return new Observation<>(true, value, state);
    }

    /**
     * Not ready yet.
     *
     * @param <T> the observation type
     * @param value the observation
     * @param state its state
     * @return the observation
     */
    public static <T> Observation<T> notYet(T value, String state) {
      return new Observation<>(false, value, state);
    }
  }

  /**
   * Polls until {@code classify} says done.
   *
   * @param <R> what is read
   * @param <T> what is returned
   * @param step the step that waits (for events)
   * @param unitId the unit, or {@code null}
   * @param subject what is waited for, for the timeout message
   * @param policy intervals and budget
   * @param attempts counts every read
   * @param read reads the current state
   * @param classify classifies it; throws for a terminal state
   * @return the value of the observation that was done
   * @throws WaitTimeoutException when the budget runs out
   * @throws RuntimeException a non-retryable read failure, or what {@code classify} throws
   */
  public <R, T> T await(Step step, String unitId, String subject, WaitPolicy policy,
      AtomicInteger attempts, Supplier<R> read, Function<R, Observation<T>> classify) {
    Instant start = clock.instant();
    String lastState = null;
    KpDedicatedException lastFailure = null;
    int poll = 0;
    while (true) {
      poll++;
      attempts.incrementAndGet();
      String seen;
      try {
        Observation<T> observation = classify.apply(read.get());
        if (observation.done()) {
          return observation.value();
        }
        seen = observation.state();
        lastState = seen;
        lastFailure = null;
      } catch (KpDedicatedException e) {
        if (!e.retryable() || e instanceof WaitTimeoutException) {
          throw e;
        }
        seen = "unreachable: " + e.getMessage();
        lastFailure = e;
      }
      Duration elapsed = Duration.between(start, clock.instant());
      Duration left = policy.timeout().minus(elapsed);
      if (left.isNegative() || left.isZero()) {
        throw new WaitTimeoutException(subject, unitId, poll, elapsed, lastState, lastFailure);
      }
      Duration delay = policy.intervalAfterPoll(poll);
      if (delay.compareTo(left) > 0) {
        delay = left;
      }
      events.publish(new InitializationEvent.Waiting(step, unitId, poll, delay, seen));
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Failures.interrupted("waiting for " + subject, unitId, e);
      }
    }
  }
}
