package io.kpdedicated.core;

import io.kpdedicated.KpDedicatedException;
import java.time.Duration;
import java.util.Objects;

/**
 * A progress event of an initialization. Pattern-match on the permitted records.
 *
 * <p>Where an event has a {@code unitId}, it is {@code null} for instance-level steps. Events never
 * carry secrets.
 */
public sealed interface InitializationEvent {

  /**
   * A step begins.
   *
   * @param step the step
   * @param unitId the unit, or {@code null} for an instance-level step
   */
  record StepStarted(Step step, String unitId) implements InitializationEvent {
    /**
     * Validates the fields.
     *
     * @param step the step
     * @param unitId the unit, or {@code null} for an instance-level step
     */
    public StepStarted {
      Objects.requireNonNull(step, "step");
    }
  }

  /**
   * A step finished and changed or checked something.
   *
   * @param step the step
   * @param unitId the unit, or {@code null} for an instance-level step
   * @param detail a short human-readable description (never null, may be empty)
   */
  record StepSucceeded(Step step, String unitId, String detail) implements InitializationEvent {
    /**
     * Validates the fields.
     *
     * @param step the step
     * @param unitId the unit, or {@code null} for an instance-level step
     * @param detail a short human-readable description (never null, may be empty)
     */
    public StepSucceeded {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * A step was not needed: what it would do is already done (for example the unit already holds the
   * master key after a crash).
   *
   * @param step the step
   * @param unitId the unit, or {@code null} for an instance-level step
   * @param reason why it was skipped (never null)
   */
  record StepSkipped(Step step, String unitId, String reason) implements InitializationEvent {
    /**
     * Validates the fields.
     *
     * @param step the step
     * @param unitId the unit, or {@code null} for an instance-level step
     * @param reason why it was skipped (never null)
     */
    public StepSkipped {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A call failed with a retryable error and will be tried again after {@code delay}.
   *
   * @param step the step
   * @param unitId the unit, or {@code null} for an instance-level step
   * @param attempt the attempt that failed, from 1
   * @param delay how long the initializer waits before the next attempt
   * @param cause the failure
   */
  record Retrying(Step step, String unitId, int attempt, Duration delay, KpDedicatedException cause)
      implements InitializationEvent {
    /**
     * Validates the fields.
     *
     * @param step the step
     * @param unitId the unit, or {@code null} for an instance-level step
     * @param attempt the attempt that failed, from 1
     * @param delay how long the initializer waits before the next attempt
     * @param cause the failure
     */
    public Retrying {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(cause, "cause");
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be at least 1");
      }
    }
  }

  /**
   * Something is not ready yet (instance provisioning, unit in maintenance) and is polled again after
   * {@code delay}.
   *
   * @param step the step that waits
   * @param unitId the unit, or {@code null} for the instance
   * @param attempt the poll that saw the state, from 1
   * @param delay how long until the next poll
   * @param state the state observed, as the service reported it
   */
  record Waiting(Step step, String unitId, int attempt, Duration delay, String state)
      implements InitializationEvent {
    /**
     * Validates the fields.
     *
     * @param step the step that waits
     * @param unitId the unit, or {@code null} for the instance
     * @param attempt the poll that saw the state, from 1
     * @param delay how long until the next poll
     * @param state the state observed, as the service reported it
     */
    public Waiting {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * A step failed for good (retries exhausted or not retryable).
   *
   * @param step the step
   * @param unitId the unit, or {@code null} for an instance-level step
   * @param cause the failure
   */
  record StepFailed(Step step, String unitId, KpDedicatedException cause)
      implements InitializationEvent {
    /**
     * Validates the fields.
     *
     * @param step the step
     * @param unitId the unit, or {@code null} for an instance-level step
     * @param cause the failure
     */
    public StepFailed {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(cause, "cause");
    }
  }

  /**
   * A unit's work ended successfully ({@link UnitOutcome.Status#SUCCEEDED} or
   * {@link UnitOutcome.Status#ALREADY_DONE}).
   *
   * @param outcome the unit's outcome
   */
  record UnitFinished(UnitOutcome outcome) implements InitializationEvent {
    /**
     * Validates the fields.
     *
     * @param outcome the unit's outcome
     */
    public UnitFinished {
      Objects.requireNonNull(outcome, "outcome");
    }

    /** {@return the unit id} */
    public String unitId() {
      return outcome.unitId();
    }
  }

  /**
   * A unit's work ended unsuccessfully ({@link UnitOutcome.Status#FAILED} or
   * {@link UnitOutcome.Status#MISMATCH}); the other units go on.
   *
   * @param outcome the unit's outcome, with its failure
   */
  record UnitFailed(UnitOutcome outcome) implements InitializationEvent {
    /**
     * Validates the fields.
     *
     * @param outcome the unit's outcome, with its failure
     */
    public UnitFailed {
      Objects.requireNonNull(outcome, "outcome");
    }

    /** {@return the unit id} */
    public String unitId() {
      return outcome.unitId();
    }
  }

  /**
   * The run ended and produced a result (which may hold failed units; {@code run()} then throws
   * {@link PartialFailureException} right after this event).
   *
   * @param result the result
   */
  record Finished(InitializationResult result) implements InitializationEvent {
    /**
     * Validates the fields.
     *
     * @param result the result
     */
    public Finished {
      Objects.requireNonNull(result, "result");
    }
  }
}
