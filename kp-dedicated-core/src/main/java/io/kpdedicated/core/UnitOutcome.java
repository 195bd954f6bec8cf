package io.kpdedicated.core;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.CheckValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run did to one crypto unit.
 *
 * @param unitId the unit
 * @param initialState the state the unit was in when the run listed it
 * @param finalState the state the unit was last seen in
 * @param status how the unit's work ended
 * @param steps the steps performed, in order: those that changed or checked something and waits
 *     for maintenance (steps skipped because their work was already done are not listed)
 * @param attempts the calls made for this unit, retries included
 * @param checkValue the master key check value the unit reported, or {@code null} if unknown
 * @param failure why the unit failed, or {@code null} unless the status is {@link Status#FAILED}
 *     or {@link Status#MISMATCH}
 */
public record UnitOutcome(String unitId, UnitState initialState, UnitState finalState,
    Status status, List<Step> steps, int attempts, CheckValue checkValue,
    KpDedicatedException failure) {

  /** How a unit's work ended. */
  public enum Status {
    /** The run changed the unit and it now holds the master key and the crypto user. */
    SUCCEEDED,
    /** The unit was complete already; the run only checked it. */
    ALREADY_DONE,
    /** The unit could not be completed; run again to finish it (see the failure). */
    FAILED,
    /** The unit holds a different master key than the keyshares; it was not overwritten. */
    MISMATCH,
    /** The unit was not among the targeted units and was left alone. */
    NOT_TARGETED;

    /** {@return whether this status counts as a failure of the run} */
    public boolean isFailure() {
      return this == FAILED || this == MISMATCH;
    }
  }

  /**
   * Validates and copies.
   *
   * @param unitId the unit
   * @param initialState the state the unit was in when the run listed it
   * @param finalState the state the unit was last seen in
   * @param status how the unit's work ended
   * @param steps the steps performed, in order: those that changed or checked something and waits
   *     for maintenance (steps skipped because their work was already done are not listed)
   * @param attempts the calls made for this unit, retries included
   * @param checkValue the master key check value the unit reported, or {@code null} if unknown
   * @param failure why the unit failed, or {@code null} unless the status is {@link Status#FAILED}
   *     or {@link Status#MISMATCH}
   */
  public UnitOutcome {
    Objects.requireNonNull(unitId, "unitId");
    Objects.requireNonNull(initialState, "initialState");
    Objects.requireNonNull(finalState, "finalState");
    Objects.requireNonNull(status, "status");
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative");
    }
    if (status.isFailure() && failure == null) {
      throw new IllegalArgumentException("a " + status + " outcome needs its failure");
    }
  }

  /** {@return the check value the unit reported, if known} */
  public Optional<CheckValue> checkValueIfKnown() {
    return Optional.ofNullable(checkValue);
  }

  /** {@return the failure, if the unit failed} */
  public Optional<KpDedicatedException> failureIfAny() {
    return Optional.ofNullable(failure);
  }

  /** {@return whether this unit failed (status FAILED or MISMATCH)} */
  public boolean failed() {
    return status.isFailure();
  }
}
