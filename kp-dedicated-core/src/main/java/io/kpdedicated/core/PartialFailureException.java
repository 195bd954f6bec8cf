package io.kpdedicated.core;

import io.kpdedicated.KpDedicatedException;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Some crypto units could not be initialized (or hold a different master key). The others kept
 * their progress; {@link #result()} has every unit's outcome. Running the initializer again
 * finishes only what is left. Retryable when no unit has a {@link UnitOutcome.Status#MISMATCH} and
 * every failure is retryable.
 */
public class PartialFailureException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  private final transient InitializationResult result;

  /**
   * Creates an exception.
   *
   * @param result the run's result, with at least one failed unit
   */
  public PartialFailureException(InitializationResult result) {
    super(message(result), null,
        "Run the initializer again: it finishes only the units that are left. Units in MISMATCH"
            + " hold a foreign key and need zeroizing first.",
        result.failedUnits().stream().allMatch(u -> u.status() == UnitOutcome.Status.FAILED
            && u.failure().retryable()),
        result.failedUnits().isEmpty() ? null : result.failedUnits().get(0).failure());
    this.result = result;
  }

  private static String message(InitializationResult result) {
    Objects.requireNonNull(result, "result");
    return result.failedUnits().size() + " of " + result.units().size()
        + " crypto units were not initialized: " + result.failedUnits().stream()
            .map(u -> u.unitId() + " " + u.status() + " (" + u.failure().getMessage() + ")")
            .collect(Collectors.joining("; "));
  }

  /** {@return the run's result with every unit's outcome} */
  public InitializationResult result() {
    return result;
  }
}
