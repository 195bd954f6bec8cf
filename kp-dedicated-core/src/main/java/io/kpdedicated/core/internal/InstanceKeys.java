package io.kpdedicated.core.internal;

import io.kpdedicated.core.MasterKeyConflictException;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.ServiceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance, one master key: reads (read-only, with retries) the key check value of every unit
 * of the instance whose state says it holds a key, targeted or not, and tells whether loading a
 * key would give the instance a second one. Used before the first load and, after the last load,
 * to verify the instance again. Immutable once read.
 */
final class InstanceKeys {
  private final Map<String, CheckValue> keys;
  private final List<String> otherAdministrator;

  private InstanceKeys(Map<String, CheckValue> keys, List<String> otherAdministrator) {
    this.keys = keys;
    this.otherAdministrator = otherAdministrator;
  }

  /**
   * Reads the check values of the units that hold a key.
   *
   * @param ctx the run
   * @param units the instance's units, as listed
   * @param step the step the reads count under
   * @return what the units hold
   * @throws io.kpdedicated.KpDedicatedException if a unit cannot be read after retries (other
   *     than being claimed by another administrator)
   */
  static InstanceKeys read(UnitContext ctx, List<CryptoUnit> units, Step step) {
    Map<String, CheckValue> keys = new LinkedHashMap<>();
    List<String> other = new ArrayList<>();
    AtomicInteger attempts = new AtomicInteger();
    for (CryptoUnit unit : units) {
      if (!UnitLifecycle.holdsMasterKey(unit.state())) {
        continue;
      }
      try {
        List<MasterKeyInfo> held = ctx.retry().call(step, unit.id(), attempts, () -> {
          try (HsmSession s = ctx.openSession(unit.id())) {
            return s.listMasterKeys();
          }
        });
        if (!held.isEmpty()) {
          keys.put(unit.id(), held.get(0).checkValue());
        }
      } catch (ServiceException e) {
        if (e.kind() != FailureKind.NOT_ADMIN && e.kind() != FailureKind.NOT_AUTHORIZED) {
          throw e;
        }
        other.add(unit.id());
      }
    }
    return new InstanceKeys(Map.copyOf(keys), List.copyOf(other));
  }

  /** Returns the one check value the instance's units hold, when they hold exactly one. */
  Optional<CheckValue> instanceKey() {
    Set<CheckValue> distinct = new LinkedHashSet<>(keys.values());
    return distinct.size() == 1 && otherAdministrator.isEmpty()
        ? Optional.of(distinct.iterator().next()) : Optional.empty();
  }

  /** Returns whether no unit of the instance holds a key. */
  boolean empty() {
    return keys.isEmpty() && otherAdministrator.isEmpty();
  }

  /**
   * Returns why loading a key with check value {@code expected} would leave the instance with more
   * than one key, if it would.
   *
   * @param expected the key this run loads, or {@code null} when not known yet
   * @param generates whether the key would be generated (so it differs from any existing one)
   * @return the conflict, or empty
   */
  Optional<MasterKeyConflictException> conflict(CheckValue expected, boolean generates) {
    Set<CheckValue> distinct = new LinkedHashSet<>(keys.values());
    boolean split = distinct.size() > 1 || !otherAdministrator.isEmpty();
    boolean differs = !distinct.isEmpty()
        && (generates || (expected != null && !distinct.contains(expected)));
    if (split || differs) {
      return Optional.of(new MasterKeyConflictException(keys, otherAdministrator, expected, null));
    }
    return Optional.empty();
  }

  /** Describes the reading for a progress event. */
  String describe() {
    if (empty()) {
      return "no unit of the instance holds a master key yet";
    }
    return "units holding a master key: " + keys
        + (otherAdministrator.isEmpty() ? "" : "; claimed by another administrator: "
            + otherAdministrator);
  }

  Map<String, CheckValue> keys() {
    return keys;
  }

  List<String> otherAdministrator() {
    return otherAdministrator;
  }
}
