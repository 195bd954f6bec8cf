package io.kpdedicated.core;

import io.kpdedicated.core.model.CheckValue;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The instance holds, or would end up holding, more than one master key: a unit holds a key other
 * than the one this run would load, units disagree among themselves, or a unit that holds a key is
 * claimed by another administrator (so its key cannot be compared). Mismatched keys are what makes
 * the service answer {@code 503 no healthy upstream}.
 *
 * <p>Raised before any unit gets a key (then nothing was loaded; it is the failure of every unit
 * that would have needed one), or by the final verification after the last load, when a concurrent
 * run raced this one (then {@link #result()} holds every unit's outcome). Not retryable: running
 * again changes nothing until the keyshares, the identity or the units change.
 */
public class MasterKeyConflictException extends InitializationException {
  private static final long serialVersionUID = 1L;

  private final transient Map<String, CheckValue> unitKeys;
  private final transient List<String> otherAdministrator;
  private final transient CheckValue expected;
  private final transient InitializationResult result;

  /**
   * Creates an exception.
   *
   * @param unitKeys the check value each unit that holds a key reported (copied)
   * @param otherAdministrator units holding a key whose check value could not be read because
   *     they are claimed by another administrator (copied)
   * @param expected the check value this run would load, or {@code null} when not known
   * @param result every unit's outcome when raised after the units were worked on, or
   *     {@code null}
   */
  public MasterKeyConflictException(Map<String, CheckValue> unitKeys,
      List<String> otherAdministrator, CheckValue expected, InitializationResult result) {
    super(message(unitKeys, otherAdministrator, expected, result), null, REMEDIATION, false,
        null);
    this.unitKeys = Map.copyOf(new TreeMap<>(unitKeys));
    this.otherAdministrator = List.copyOf(otherAdministrator);
    this.expected = expected;
    this.result = result;
  }

  private static final String REMEDIATION = "One instance holds one master key. Either run with"
      + " the keyshares (and the administrator identity) the instance's units were loaded with"
      + " (MasterKeySource.existing(...), AdminIdentitySource.load(...)), or zeroize the units"
      + " that hold the other key (this erases it) and run again so they get this one.";

  private static String message(Map<String, CheckValue> unitKeys, List<String> other,
      CheckValue expected, InitializationResult result) {
    Objects.requireNonNull(unitKeys, "unitKeys");
    Objects.requireNonNull(other, "otherAdministrator");
    StringBuilder b = new StringBuilder(result == null
        ? "refusing to load the master key: " : "the instance ended with more than one master"
            + " key: ");
    if (!unitKeys.isEmpty()) {
      Map<CheckValue, List<String>> byValue = new TreeMap<>(
          (x, y) -> x.text().compareTo(y.text()));
      new TreeMap<>(unitKeys).forEach((unit, cv) ->
          byValue.computeIfAbsent(cv, k -> new java.util.ArrayList<>()).add(unit));
      b.append("the instance's units hold ").append(byValue.entrySet().stream()
          .map(e -> "check value " + e.getKey() + " on " + e.getValue())
          .collect(Collectors.joining(", ")));
    }
    if (!other.isEmpty()) {
      b.append(unitKeys.isEmpty() ? "" : "; ").append("units ").append(other)
          .append(" hold a key but are claimed by another administrator, so their check value"
              + " cannot be compared");
    }
    if (expected != null) {
      b.append("; this run's keyshares have check value ").append(expected);
    }
    return b.toString();
  }

  /**
   * Returns the check value each unit that holds a key reported.
   *
   * @return unit id to check value
   */
  public Map<String, CheckValue> unitKeys() {
    return unitKeys;
  }

  /**
   * Returns the units that hold a key but are claimed by another administrator.
   *
   * @return the unit ids
   */
  public List<String> otherAdministrator() {
    return otherAdministrator;
  }

  /**
   * Returns the check value this run would load, if known.
   *
   * @return the check value
   */
  public Optional<CheckValue> expected() {
    return Optional.ofNullable(expected);
  }

  /**
   * Returns every unit's outcome when the conflict was found after the units were worked on.
   *
   * @return the result, or empty when nothing was loaded
   */
  public Optional<InitializationResult> result() {
    return Optional.ofNullable(result);
  }
}
