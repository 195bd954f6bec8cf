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
    String never = neverFires(operation, unit, fault);
    if (never != null) {
      throw new IllegalArgumentException("this fault rule can never fire: " + never);
    }
  }

  /** Returns whether this rule matches a call. */
  /**
   * Returns whether an operation concerns no crypto unit (a call for it carries no unit id and no
   * unit index, so a rule for a specific unit never matches it).
   *
   * @param operation the operation
   * @return true for token, instance and listing operations
   */
  public static boolean isInstanceLevel(Operation operation) {
    return switch (Objects.requireNonNull(operation, "operation")) {
      case TOKEN, FIND_INSTANCE, CREATE_INSTANCE, GET_INSTANCE, LIST_UNITS, CRYPTO_USER_METADATA ->
          true;
      default -> false;
    };
  }

  /** Why a rule can never fire, or null when it can; the same check for every way rules enter. */
  private static String neverFires(Operation operation, UnitRef unit, Fault fault) {
    boolean specificUnit = !(unit instanceof UnitRef.Any);
    if (fault instanceof Fault.Maintenance) {
      if (operation != null && isInstanceLevel(operation) && operation != Operation.LIST_UNITS) {
        return operation.wireName() + " concerns no crypto unit, so no unit can be in maintenance"
            + " for it; use error(503, ...) for an instance-level outage";
      }
      if (!specificUnit && (operation == null || operation == Operation.LIST_UNITS)) {
        return "a maintenance fault on " + (operation == null ? "any operation" : "list-units")
            + " needs a specific unit (UnitRef.id(..) or UnitRef.index(..)); on one unit-level"
            + " operation, any unit means the unit that call is for";
      }
      return null;
    }
    if (specificUnit && operation != null && isInstanceLevel(operation)) {
      return operation.wireName() + " is an instance-level operation and concerns no unit, so a"
          + " rule for " + unit + " never matches it; drop the unit (anyUnit()) or pick a"
          + " unit-level operation";
    }
    return null;
  }

  boolean matches(Operation op, String unitId, int unitIndex) {
    return (operation == null || operation == op) && unit.matches(unitId, unitIndex);
  }

  @Override
  public String toString() {
    return "FaultRule[" + (operation == null ? "any operation" : operation.wireName()) + ", " + unit
        + ", " + fault + ", times=" + (times == FOREVER ? "forever" : Integer.toString(times)) + "]";
  }
}
