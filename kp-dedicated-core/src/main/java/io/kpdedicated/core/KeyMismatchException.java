package io.kpdedicated.core;

import io.kpdedicated.crypto.KeyCheckValue;
import java.util.Objects;
import java.util.Optional;

/**
 * A crypto unit holds a master key whose check value differs from the keyshares' key (or holds no
 * key where one was expected). The initializer never overwrites such a unit. Not retryable.
 */
public class KeyMismatchException extends InitializationException {
  private static final long serialVersionUID = 1L;

  private final KeyCheckValue expected;
  private final KeyCheckValue actual;

  /**
   * Creates an exception.
   *
   * @param unitId the unit
   * @param expected the keyshares' check value
   * @param actual the unit's check value, or {@code null} when it holds no master key
   */
  public KeyMismatchException(String unitId, KeyCheckValue expected, KeyCheckValue actual) {
    super(message(unitId, expected, actual), Objects.requireNonNull(unitId, "unitId"),
        "Check that these are the keyshares of this instance. If they are, the unit holds a foreign"
            + " key: zeroize that unit (it returns to 'reserved') and run the initializer again to"
            + " claim it and import the instance's master key.",
        false, null);
    this.expected = Objects.requireNonNull(expected, "expected");
    this.actual = actual;
  }

  private static String message(String unitId, KeyCheckValue expected, KeyCheckValue actual) {
    return actual == null
        ? "crypto unit " + unitId + " holds no master key although its state says it should;"
            + " expected key check value " + expected
        : "crypto unit " + unitId + " holds a master key with check value " + actual
            + ", but the keyshares' key has " + expected + "; the unit was left unchanged";
  }

  /** Returns the keyshares' check value. */
  public KeyCheckValue expected() {
    return expected;
  }

  /** Returns the unit's check value, empty when it holds no master key. */
  public Optional<KeyCheckValue> actual() {
    return Optional.ofNullable(actual);
  }
}
