package io.kpdedicated.testkit;

import java.util.Objects;

/**
 * Names the crypto unit a fault or an arrangement concerns: any unit, a unit by id, or a unit by
 * its 0-based position in its instance's unit list. Immutable values.
 */
public sealed interface UnitRef permits UnitRef.Any, UnitRef.ById, UnitRef.ByIndex {

  /** {@return a reference that matches every unit (and calls that concern no unit)} */
  static UnitRef any() {
    return Any.INSTANCE;
  }

  /**
   * Returns a reference to the unit with this id.
   *
   * @param unitId the unit id, not blank
   * @return the reference
   */
  static UnitRef id(String unitId) {
    return new ById(unitId);
  }

  /**
   * Returns a reference to the unit at this 0-based position of its instance's unit list.
   *
   * @param index 0 or more
   * @return the reference
   */
  static UnitRef index(int index) {
    return new ByIndex(index);
  }

  /**
   * Returns whether this reference matches a call.
   *
   * @param unitId the unit the call concerns, or {@code null} when it concerns none
   * @param unitIndex the unit's position, or -1 when unknown
   * @return true when it matches
   */
  boolean matches(String unitId, int unitIndex);

  /** Matches every call. */
  enum Any implements UnitRef {
    /** The only value. */
    INSTANCE;

    @Override
    public boolean matches(String unitId, int unitIndex) {
      return true;
    }

    @Override
    public String toString() {
      return "any unit";
    }
  }

  /**
   * Matches calls for one unit id.
   *
   * @param unitId the unit id
   */
  record ById(String unitId) implements UnitRef {
    /**
     * Validates the id.
     *
     * @param unitId the unit id
     */
    public ById {
      Objects.requireNonNull(unitId, "unitId");
      if (unitId.isBlank()) {
        throw new IllegalArgumentException("unitId must not be blank");
      }
    }

    @Override
    public boolean matches(String id, int unitIndex) {
      return unitId.equals(id);
    }

    @Override
    public String toString() {
      return "unit " + unitId;
    }
  }

  /**
   * Matches calls for the unit at one position of its instance's unit list.
   *
   * @param index the 0-based position
   */
  record ByIndex(int index) implements UnitRef {
    /**
     * Validates the index.
     *
     * @param index the 0-based position
     */
    public ByIndex {
      if (index < 0) {
        throw new IllegalArgumentException("unit index must be 0 or more, got " + index);
      }
    }

    @Override
    public boolean matches(String unitId, int unitIndex) {
      return unitId != null && unitIndex == index;
    }

    @Override
    public String toString() {
      return "unit #" + index;
    }
  }
}
