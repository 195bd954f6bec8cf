package io.kpdedicated.testkit;

import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import java.util.List;
import java.util.Objects;

/**
 * An instance of the in-memory cloud and its units at one moment.
 *
 * @param instance the instance as the Resource Controller would report it
 * @param units its crypto units, in the service's order
 */
public record InstanceSnapshot(ServiceInstance instance, List<UnitSnapshot> units) {
  /**
   * Validates and copies.
   *
   * @param instance the instance as the Resource Controller would report it
   * @param units its crypto units, in the service's order
   */
  public InstanceSnapshot {
    Objects.requireNonNull(instance, "instance");
    units = List.copyOf(units);
  }

  /**
   * Returns the unit at a position.
   *
   * @param index 0-based
   * @return the unit
   */
  public UnitSnapshot unit(int index) {
    return units.get(index);
  }

  /** {@return the units' states, in order} */
  public List<UnitState> states() {
    return units.stream().map(UnitSnapshot::state).toList();
  }
}
