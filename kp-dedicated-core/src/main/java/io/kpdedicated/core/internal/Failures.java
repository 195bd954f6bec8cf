package io.kpdedicated.core.internal;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.Step;

/** Turns unexpected exceptions into SDK exceptions that can be reported per unit. Stateless. */
final class Failures {
  private Failures() {}

  /**
   * Returns {@code e} if it is an SDK exception, otherwise wraps it.
   *
   * @param e the failure
   * @param step the step it happened in
   * @param unitId the unit, or {@code null}
   * @return an SDK exception
   */
  public static KpDedicatedException asSdkException(RuntimeException e, Step step, String unitId) {
    if (e instanceof KpDedicatedException k) {
      return k;
    }
    return new InitializationException("unexpected " + e.getClass().getName() + " during "
        + step + (unitId == null ? "" : " on crypto unit " + unitId)
        + (e.getMessage() == null ? "" : ": " + e.getMessage()), unitId,
        "This is a defect in the transport or the SDK; run again, and report it if it repeats.",
        false, e);
  }

  /**
   * Creates the failure reported when waiting is interrupted.
   *
   * @param what what was being done
   * @param unitId the unit, or {@code null}
   * @param cause the interruption
   * @return the exception (retryable: nothing is lost by running again)
   */
  public static InitializationException interrupted(String what, String unitId,
      InterruptedException cause) {
    return new InitializationException("interrupted while " + what, unitId,
        "The run was interrupted; run again to continue where it stopped.", true, cause);
  }
}
