package io.kpdedicated.core.model;

import java.util.Objects;

/**
 * One crypto unit (HSM partition) of a Dedicated instance.
 *
 * @param id the unit id
 * @param instanceId the instance (GUID) the unit belongs to
 * @param state the parsed state
 * @param rawState the state text exactly as the service sent it (never null; empty if absent)
 */
public record CryptoUnit(String id, String instanceId, UnitState state, String rawState) {
  /**
   * Validates the fields.
   *
   * @param id the unit id
   * @param instanceId the instance (GUID) the unit belongs to
   * @param state the parsed state
   * @param rawState the state text exactly as the service sent it (never null; empty if absent)
   */
  public CryptoUnit {
    requireText(id, "id");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(rawState, "rawState");
  }

  /**
   * Creates a unit from a wire state value.
   *
   * @param id unit id
   * @param instanceId instance GUID
   * @param wireState the state as sent by the service (null treated as empty)
   * @return the unit
   */
  public static CryptoUnit of(String id, String instanceId, String wireState) {
    String raw = wireState == null ? "" : wireState;
    return new CryptoUnit(id, instanceId, UnitState.fromWire(raw), raw);
  }

  /**
   * Returns a copy of this unit in another state (its raw state becomes that state's wire value).
   *
   * @param newState the state of the copy
   * @return the copy
   */
  public CryptoUnit withState(UnitState newState) {
    return new CryptoUnit(id, instanceId, newState,
        newState.wireValue() == null ? rawState : newState.wireValue());
  }

  static void requireText(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }
}
