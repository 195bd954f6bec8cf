package io.kpdedicated.core;

import io.kpdedicated.KpDedicatedException;

/**
 * The initializer cannot go on: a precondition it checks itself does not hold (only some keyshare
 * files exist, the instance has only a private endpoint, a unit is in a state that cannot be
 * initialized, a unit is claimed by another administrator, ...). The message says what and the
 * {@link #remediation()} what to do.
 */
public class InitializationException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong; never secrets
   * @param unitId the unit concerned, or {@code null}
   * @param remediation what to do, or {@code null}
   * @param retryable whether running again may succeed without changing anything
   * @param cause the cause, or {@code null}
   */
  public InitializationException(String message, String unitId, String remediation,
      boolean retryable, Throwable cause) {
    super(message, unitId, remediation, retryable, cause);
  }

  /**
   * Creates a non-retryable exception that concerns no unit.
   *
   * @param message what went wrong; never secrets
   * @param remediation what to do, or {@code null}
   */
  public InitializationException(String message, String remediation) {
    this(message, null, remediation, false, null);
  }
}
