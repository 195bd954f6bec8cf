package io.kpdedicated.core.internal;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.Step;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a step between a {@link InitializationEvent.StepStarted} and a
 * {@link InitializationEvent.StepSucceeded} or {@link InitializationEvent.StepFailed} event.
 * Thread-safe.
 */
final class StepRunner {
  private final Events events;

  /**
   * Creates a runner.
   *
   * @param events where events go
   */
  public StepRunner(Events events) {
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * Runs one step.
   *
   * @param <T> the result type
   * @param step the step
   * @param unitId the unit, or {@code null}
   * @param body the work
   * @param detail describes the result for the success event
   * @return the body's result
   */
  public <T> T run(Step step, String unitId, Supplier<T> body, Function<T, String> detail) {
    events.publish(new InitializationEvent.StepStarted(step, unitId));
    T result;
    try {
      result = body.get();
    } catch (RuntimeException e) {
      KpDedicatedException failure = Failures.asSdkException(e, step, unitId);
      events.publish(new InitializationEvent.StepFailed(step, unitId, failure));
      throw e;
    }
    events.publish(new InitializationEvent.StepSucceeded(step, unitId, detail.apply(result)));
    return result;
  }

  /**
   * Publishes an event.
   *
   * @param event the event
   */
  public void publish(InitializationEvent event) {
    events.publish(event);
  }
}
