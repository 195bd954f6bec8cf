package io.kpdedicated;

import java.util.Optional;

/**
 * The root of every exception the kp-dedicated SDK throws on purpose.
 *
 * <p>All SDK exceptions are unchecked. Each one says what went wrong, for which crypto unit or file
 * where that is known, and what to do next ({@link #remediation()}). Messages never contain
 * secrets: no passphrase, key byte or token is ever part of a message.
 *
 * <p>Preconditions on arguments (null, out-of-range values) are reported with the JDK's
 * {@link NullPointerException}, {@link IllegalArgumentException} and {@link IllegalStateException}
 * instead.
 */
public class KpDedicatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The crypto unit concerned, or {@code null} when none is. */
  private final String unitId;
  /** What the caller can do next, or {@code null}. */
  private final String remediation;
  /** Whether repeating the same call may succeed. */
  private final boolean retryable;

  /**
   * Creates an exception.
   *
   * @param message what went wrong; must not contain secrets
   * @param unitId the crypto unit concerned, or {@code null} when none is
   * @param remediation what the caller can do next, or {@code null} when nothing useful can be said
   * @param retryable whether repeating the same call may succeed
   * @param cause the underlying cause, or {@code null}
   */
  public KpDedicatedException(
      String message, String unitId, String remediation, boolean retryable, Throwable cause) {
    super(message, cause);
    this.unitId = unitId;
    this.remediation = remediation;
    this.retryable = retryable;
  }

  /**
   * Creates a non-retryable exception that concerns no particular unit.
   *
   * @param message what went wrong; must not contain secrets
   * @param cause the underlying cause, or {@code null}
   */
  public KpDedicatedException(String message, Throwable cause) {
    this(message, null, null, false, cause);
  }

  /** {@return the crypto unit this failure concerns, if any} */
  public Optional<String> unitId() {
    return Optional.ofNullable(unitId);
  }

  /** {@return a hint on what to do next, if one is known} */
  public Optional<String> remediation() {
    return Optional.ofNullable(remediation);
  }

  /**
   * {@return whether repeating the same operation may succeed (I/O, timeout, 429, 5xx, maintenance)}
   */
  public boolean retryable() {
    return retryable;
  }
}
