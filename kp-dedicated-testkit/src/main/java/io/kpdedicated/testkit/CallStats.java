package io.kpdedicated.testkit;

import io.kpdedicated.core.spi.Operation;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link InMemoryDedicatedCloud} has seen: how many calls of each operation arrived for
 * each unit (faulted ones included), and how many state-changing calls took effect (create
 * instance, claim, zeroize, add user, import master key; an import of the key a unit already holds
 * changes nothing and is not counted). Setup done through {@link InMemoryDedicatedCloud#arrange()}
 * is not counted. Thread-safe.
 */
public final class CallStats {
  /** The key used for calls that concern no unit. */
  private static final String NO_UNIT = "";

  private final Map<Operation, Map<String, Integer>> calls = new HashMap<>();
  private final Map<Operation, Map<String, Integer>> changes = new HashMap<>();

  CallStats() {}

  synchronized void recordCall(Operation op, String unitId) {
    calls.computeIfAbsent(op, k -> new HashMap<>()).merge(key(unitId), 1, Integer::sum);
  }

  synchronized void recordChange(Operation op, String unitId) {
    changes.computeIfAbsent(op, k -> new HashMap<>()).merge(key(unitId), 1, Integer::sum);
  }

  private static String key(String unitId) {
    return unitId == null ? NO_UNIT : unitId;
  }

  /**
   * Returns how many calls of an operation arrived, for all units together.
   *
   * @param op the operation
   * @return the count
   */
  public synchronized int calls(Operation op) {
    return calls.getOrDefault(Objects.requireNonNull(op, "op"), Map.of()).values().stream()
        .mapToInt(Integer::intValue).sum();
  }

  /**
   * Returns how many calls of an operation arrived for one unit.
   *
   * @param op the operation
   * @param unitId the unit
   * @return the count
   */
  public synchronized int calls(Operation op, String unitId) {
    return calls.getOrDefault(Objects.requireNonNull(op, "op"), Map.of())
        .getOrDefault(Objects.requireNonNull(unitId, "unitId"), 0);
  }

  /**
   * Returns how many calls of a state-changing operation took effect, for all units together.
   *
   * @param op the operation
   * @return the count
   */
  public synchronized int changes(Operation op) {
    return changes.getOrDefault(Objects.requireNonNull(op, "op"), Map.of()).values().stream()
        .mapToInt(Integer::intValue).sum();
  }

  /**
   * Returns how many calls of a state-changing operation took effect on one unit.
   *
   * @param op the operation
   * @param unitId the unit
   * @return the count
   */
  public synchronized int changes(Operation op, String unitId) {
    return changes.getOrDefault(Objects.requireNonNull(op, "op"), Map.of())
        .getOrDefault(Objects.requireNonNull(unitId, "unitId"), 0);
  }

  /** {@return the total number of calls that arrived} */
  public synchronized int totalCalls() {
    return calls.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue)
        .sum();
  }

  /** {@return the total number of state-changing calls that took effect} */
  public synchronized int totalChanges() {
    return changes.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue)
        .sum();
  }

  /** Forgets every count. */
  public synchronized void reset() {
    calls.clear();
    changes.clear();
  }

  @Override
  public synchronized String toString() {
    return "CallStats[calls=" + calls + ", changes=" + changes + "]";
  }
}
