package io.kpdedicated.core;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link DedicatedInitializer#run()} would do, found out without changing anything
 * ({@link DedicatedInitializer#plan()}): the run itself, over a transport that reads but records
 * instead of changing, so plan and run come from the same decisions. Immutable and thread-safe.
 */
public final class InitializationPlan {

  /** What happens to the instance. */
  public enum InstanceAction {
    /** No instance has the requested name: it would be created. */
    CREATE,
    /** The instance exists and would be used (waiting for {@code active} if needed). */
    REUSE,
    /** The given endpoint would be used directly. */
    USE_TARGET,
    /** The instance cannot be used (failed, removed, conflicting settings); see the problems. */
    BLOCKED
  }

  /** What happens to the administrator identity. */
  public enum IdentityAction {
    /** A new identity would be generated and saved. */
    GENERATE,
    /** The identity file would be loaded. */
    LOAD,
    /** The signer given by the caller would be used. */
    USE_GIVEN
  }

  /** What happens to the keyshares. */
  public enum KeysharesAction {
    /** A new master key would be generated and written as keyshares. */
    GENERATE,
    /** The complete set of keyshare files left by an earlier run would be reused. */
    REUSE,
    /** The given existing keyshares would be used. */
    USE_GIVEN,
    /** Some of the target files exist and some do not; see the problems. */
    BLOCKED
  }

  /**
   * What would happen to one crypto unit.
   *
   * @param unitId the unit
   * @param state the unit's current state
   * @param rawState the state as the service reported it
   * @param targeted whether the unit is among the targeted units
   * @param steps the steps run() would perform on it, in order (as {@link UnitOutcome#steps()}
   *     will list them; empty when nothing is left, the unit is not targeted, or it fails first)
   * @param note a remark: "waits for maintenance to end", why the unit would fail and what to do,
   *     or that a key check value can be compared only once a unit holds the key; empty when there
   *     is nothing to remark
   * @param failure why run() would fail this unit (a unit claimed by another administrator, a
   *     foreign master key, a state that cannot be initialized), or {@code null}
   */
  public record UnitPlan(String unitId, UnitState state, String rawState, boolean targeted,
      List<Step> steps, String note, KpDedicatedException failure) {
    /**
     * Validates and copies.
     *
     * @param unitId the unit
     * @param state the unit's current state
     * @param rawState the state as the service reported it
     * @param targeted whether the unit is among the targeted units
     * @param steps the steps run() would perform on it, in order (as {@link UnitOutcome#steps()}
     *     will list them; empty when nothing is left, the unit is not targeted, or it fails first)
     * @param note a remark: "waits for maintenance to end", why the unit would fail and what to do,
     *     or that a key check value can be compared only once a unit holds the key; empty when
     * there
     *     is nothing to remark
     * @param failure why run() would fail this unit (a unit claimed by another administrator, a
     *     foreign master key, a state that cannot be initialized), or {@code null}
     */
    public UnitPlan {
      Objects.requireNonNull(unitId, "unitId");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(rawState, "rawState");
      steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
      Objects.requireNonNull(note, "note");
    }

    /**
     * Returns why run() would fail this unit, if it would.
     *
     * @return the predicted failure
     */
    public Optional<KpDedicatedException> failureIfAny() {
      return Optional.ofNullable(failure);
    }

    /**
     * Returns whether run() would fail this unit.
     *
     * @return true when a failure is predicted
     */
    public boolean willFail() {
      return failure != null;
    }
  }

  private final InstanceAction instanceAction;
  private final ServiceInstance instance;
  private final List<Step> instanceSteps;
  private final IdentityAction identityAction;
  private final KeysharesAction keysharesAction;
  private final boolean unitsKnown;
  private final List<UnitPlan> units;
  private final List<String> problems;
  private final String backend;
  private final CheckValue checkValue;
  private final boolean checkedOffline;

  /**
   * Creates a plan.
   *
   * @param instanceAction what happens to the instance
   * @param instance the instance as read now, or {@code null} if it does not exist yet or the
   *     initializer was given an endpoint
   * @param instanceSteps the instance-level steps run() would perform (copied)
   * @param identityAction what happens to the administrator identity
   * @param keysharesAction what happens to the keyshares
   * @param unitsKnown whether the units could be listed (not before the instance is active)
   * @param units one plan per unit, empty when they are not known yet (copied)
   * @param problems what would make run() fail before touching any unit, each with what to do
   *     (copied)
   * @param backend the HSM backend's description
   * @param checkValue the check value every unit must hold, or {@code null} when not known before
   *     a unit holds the key
   * @param checkedOffline whether the keyshares could be checked before any unit is touched
   */
  public InitializationPlan(InstanceAction instanceAction, ServiceInstance instance,
      List<Step> instanceSteps, IdentityAction identityAction, KeysharesAction keysharesAction,
      boolean unitsKnown, List<UnitPlan> units, List<String> problems, String backend,
      CheckValue checkValue, boolean checkedOffline) {
    this.instanceAction = Objects.requireNonNull(instanceAction, "instanceAction");
    this.instance = instance;
    this.instanceSteps = List.copyOf(Objects.requireNonNull(instanceSteps, "instanceSteps"));
    this.identityAction = Objects.requireNonNull(identityAction, "identityAction");
    this.keysharesAction = Objects.requireNonNull(keysharesAction, "keysharesAction");
    this.unitsKnown = unitsKnown;
    this.units = List.copyOf(Objects.requireNonNull(units, "units"));
    this.problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
    this.backend = Objects.requireNonNull(backend, "backend");
    this.checkValue = checkValue;
    this.checkedOffline = checkedOffline;
  }

  /**
   * Returns the HSM backend's description, e.g. {@code portable: signed REST session protocol}.
   *
   * @return the description
   */
  public String backend() {
    return backend;
  }

  /**
   * Returns the check value every unit must hold, when it is known before any unit holds the key.
   *
   * @return the check value
   */
  public Optional<CheckValue> checkValue() {
    return Optional.ofNullable(checkValue);
  }

  /**
   * Returns whether the keyshares were checked offline (they open, form one set and rebuild a key
   * with their check value). False for backends that can check them only in a unit; then a foreign
   * key on a unit shows only when run() loads the key.
   *
   * @return true when checked offline
   */
  public boolean checkedOffline() {
    return checkedOffline;
  }

  /**
   * Returns the units run() would fail, with the reasons.
   *
   * @return the failing units' plans
   */
  public List<UnitPlan> failingUnits() {
    return units.stream().filter(UnitPlan::willFail).toList();
  }

  /** {@return what happens to the instance} */
  public InstanceAction instanceAction() {
    return instanceAction;
  }

  /** {@return the instance as read now, if it exists and was read from the Resource Controller} */
  public Optional<ServiceInstance> instance() {
    return Optional.ofNullable(instance);
  }

  /** {@return the instance-level steps run() would perform} */
  public List<Step> instanceSteps() {
    return instanceSteps;
  }

  /** {@return what happens to the administrator identity} */
  public IdentityAction identityAction() {
    return identityAction;
  }

  /** {@return what happens to the keyshares} */
  public KeysharesAction keysharesAction() {
    return keysharesAction;
  }

  /** {@return whether the units could be listed (they cannot before the instance is active)} */
  public boolean unitsKnown() {
    return unitsKnown;
  }

  /** {@return one plan per unit, empty when the units are not known yet} */
  public List<UnitPlan> units() {
    return units;
  }

  /**
   * Returns one unit's plan.
   *
   * @param unitId the unit
   * @return the plan, or empty if no such unit is known
   */
  public Optional<UnitPlan> unit(String unitId) {
    return units.stream().filter(u -> u.unitId().equals(unitId)).findFirst();
  }

  /** {@return what would make run() fail before any unit is touched; empty when nothing would} */
  public List<String> problems() {
    return problems;
  }

  /**
   * Returns whether run() would only check: the instance, identity and keyshares exist, and every
   * targeted unit is complete.
   *
   * @return {@code true} when run() would change nothing
   */
  public boolean nothingToDo() {
    return instanceAction != InstanceAction.CREATE && instanceAction != InstanceAction.BLOCKED
        && keysharesAction != KeysharesAction.GENERATE && keysharesAction != KeysharesAction.BLOCKED
        && identityAction != IdentityAction.GENERATE
        && unitsKnown && problems.isEmpty()
        && units.stream().filter(UnitPlan::targeted)
            .allMatch(u -> u.steps().stream().allMatch(s -> s == Step.VERIFY) && !u.willFail()
                && !u.note().contains("maintenance"));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("InitializationPlan[instance=").append(instanceAction)
        .append(instanceSteps).append(", identity=").append(identityAction)
        .append(", keyshares=").append(keysharesAction);
    for (UnitPlan u : units) {
      b.append(", ").append(u.unitId()).append('(').append(u.rawState()).append(")=")
          .append(u.targeted() ? u.steps().toString() : "not targeted")
          .append(u.willFail() ? " FAILS" : "");
    }
    if (!problems.isEmpty()) {
      b.append(", problems=").append(problems);
    }
    return b.append(']').toString();
  }
}
