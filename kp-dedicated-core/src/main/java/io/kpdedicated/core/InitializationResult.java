package io.kpdedicated.core;

import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.CheckValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link DedicatedInitializer#run()}: the instance and one outcome per crypto unit.
 * Immutable and thread-safe.
 */
public final class InitializationResult {
  private final ServiceInstance instance;
  private final InstanceTarget target;
  private final List<UnitOutcome> units;
  private final CheckValue checkValue;
  private final List<Step> instanceSteps;

  /**
   * Creates a result.
   *
   * @param instance the instance as last read from the Resource Controller, or {@code null} when the
   *     initializer was given an {@link InstanceSelector#target(InstanceTarget) endpoint} directly
   * @param target the endpoint and GUID the units were reached at
   * @param units one outcome per unit (copied)
   * @param checkValue the master key check value every unit must hold, or {@code null} if unknown
   * @param instanceSteps the instance-level steps the run performed (succeeded, not skipped), in
   *     order (copied)
   */
  public InitializationResult(ServiceInstance instance, InstanceTarget target,
      List<UnitOutcome> units, CheckValue checkValue, List<Step> instanceSteps) {
    this.instance = instance;
    this.target = Objects.requireNonNull(target, "target");
    this.units = List.copyOf(Objects.requireNonNull(units, "units"));
    this.checkValue = checkValue;
    this.instanceSteps = List.copyOf(Objects.requireNonNull(instanceSteps, "instanceSteps"));
  }

  /**
   * Returns the instance-level steps the run performed (succeeded, not skipped), in order; a
   * {@link DedicatedInitializer#plan()} made just before lists the same ones.
   *
   * @return the steps
   */
  public List<Step> instanceSteps() {
    return instanceSteps;
  }

  /** {@return the instance as last read, unless the initializer was given an endpoint directly} */
  public Optional<ServiceInstance> instance() {
    return Optional.ofNullable(instance);
  }

  /** {@return the endpoint and GUID the units were reached at} */
  public InstanceTarget target() {
    return target;
  }

  /** {@return one outcome per unit of the instance, in the service's order} */
  public List<UnitOutcome> units() {
    return units;
  }

  /** {@return the master key check value every unit must hold, if known} */
  public Optional<CheckValue> checkValue() {
    return Optional.ofNullable(checkValue);
  }

  /**
   * Returns one unit's outcome.
   *
   * @param unitId the unit
   * @return the outcome, or empty if the instance has no such unit
   */
  public Optional<UnitOutcome> unit(String unitId) {
    return units.stream().filter(u -> u.unitId().equals(unitId)).findFirst();
  }

  /** {@return the outcomes that failed (FAILED or MISMATCH)} */
  public List<UnitOutcome> failedUnits() {
    return units.stream().filter(UnitOutcome::failed).toList();
  }

  /** {@return whether no unit failed} */
  public boolean succeeded() {
    return units.stream().noneMatch(UnitOutcome::failed);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("InitializationResult[instance=")
        .append(target.instanceGuid()).append(", checkValue=").append(checkValue);
    for (UnitOutcome u : units) {
      b.append(", ").append(u.unitId()).append('=').append(u.status()).append('/')
          .append(u.finalState().wireValue() == null ? "unknown" : u.finalState().wireValue());
    }
    return b.append(']').toString();
  }
}
