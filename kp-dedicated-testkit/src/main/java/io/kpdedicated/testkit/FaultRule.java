package io.kpdedicated.testkit;

import io.kpdedicated.core.spi.Operation;
import java.util.Objects;

/**
 * One entry of the fault queue: which calls it matches and what it does to them.
 *
 * @param operation the operation it matches, or {@code null} for every operation
 * @param unit the unit it matches ({@link UnitRef#any()} also matches calls that concern no unit)
 * @param fault what it does
 * @param times how many matching calls it affects, 1 or more, or {@link #FOREVER}
 */
public record FaultRule(Operation operation, UnitRef unit, Fault fault, int times) {
  /** The {@code times} value of a rule that never runs out. */
  public static final int FOREVER = -1;

  /**
   * Validates the fields.
   *
   * @param operation the operation it matches, or {@code null} for every operation
   * @param unit the unit it matches ({@link UnitRef#any()} also matches calls that concern no unit)
   * @param fault what it does
   * @param times how many matching calls it affects, 1 or more, or {@link #FOREVER}
   */
  public FaultRule {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(fault, "fault");
    if (times < 1 && times != FOREVER) {
      throw new IllegalArgumentException("times must be 1 or more (or FOREVER), got " + times);
    }
    if (fault instanceof Fault.Maintenance && unit instanceof UnitRef.Any) {
      throw new IllegalArgumentException(
          "a maintenance fault needs a specific unit: use UnitRef.id(..) or UnitRef.index(..)");
    }
  }

  /** Returns whether this rule matches a call. */
  boolean matches(Operation op, String unitId, int unitIndex) {
    return (operation == null || operation == op) && unit.matches(unitId, unitIndex);
  }

  @Override
  public String toString() {
    return "FaultRule[" + (operation == null ? "any operation" : operation.wireName()) + ", " + unit
        + ", " + fault + ", times=" + (times == FOREVER ? "forever" : Integer.toString(times)) + "]";
  }
}
