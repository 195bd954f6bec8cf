package io.kpdedicated.core;

import io.kpdedicated.core.model.CheckValue;
import java.util.Objects;
import java.util.Optional;

/**
 * A crypto unit holds a master key whose check value differs from the keyshares' key (or holds no
 * key where one was expected). The initializer never overwrites such a unit. Not retryable: running
 * again changes nothing until the keyshares or the unit change.
 */
public class KeyMismatchException extends InitializationException {
  private static final long serialVersionUID = 1L;

  /** The keyshares' check value. */
  private final CheckValue expected;
  /** The unit's check value, empty when it holds no master key. */
  private final CheckValue actual;

  /**
   * Creates an exception.
   *
   * @param unitId the unit
   * @param expected the check value the unit should hold (the keyshares' or the instance's)
   * @param actual the unit's check value, or {@code null} when it holds no master key
   */
  public KeyMismatchException(String unitId, CheckValue expected, CheckValue actual) {
    super(message(unitId, expected, actual), Objects.requireNonNull(unitId, "unitId"),
        "Check that these are the keyshares of this instance. If they are, the unit holds a foreign"
            + " key: zeroize that unit (it returns to 'reserved', this erases its key) and run the"
            + " initializer again to claim it and import the instance's master key. If the unit's"
            + " key is the instance's, run with the keyshares of that key instead.",
        false, null);
    this.expected = Objects.requireNonNull(expected, "expected");
    this.actual = actual;
  }

  private static String message(String unitId, CheckValue expected, CheckValue actual) {
    return actual == null
        ? "crypto unit " + unitId + " holds no master key although its state says it should;"
            + " expected key check value " + expected
        : "crypto unit " + unitId + " holds a master key with check value " + actual
            + ", but the keyshares' key has " + expected + "; the unit was left unchanged";
  }

  /** {@return the keyshares' check value} */
  public CheckValue expected() {
    return expected;
  }

  /** {@return the unit's check value, empty when it holds no master key} */
  public Optional<CheckValue> actual() {
    return Optional.ofNullable(actual);
  }
}
