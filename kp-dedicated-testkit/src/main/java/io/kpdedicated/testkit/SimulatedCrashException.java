package io.kpdedicated.testkit;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.spi.Operation;

/**
 * Thrown by every call of an in-memory cloud after the operation budget set with
 * {@link FaultInjector#crashAfter(int)} is used up: it stands for the calling process dying part
 * way through. Not retryable; the cloud keeps refusing calls until {@link FaultInjector#clear()}.
 */
public class SimulatedCrashException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  private final transient Operation operation;

  /**
   * Creates the exception.
   *
   * @param operation the call that was refused
   * @param unitId the unit it concerned, or {@code null}
   */
  public SimulatedCrashException(Operation operation, String unitId) {
    super("simulated crash: the in-memory cloud refuses " + operation.wireName()
            + (unitId == null ? "" : " on unit " + unitId)
            + " because the crash point set with faults().crashAfter(..) was reached",
        unitId, "Start a fresh initializer after faults().clear(); it resumes where this one stopped.",
        false, null);
    this.operation = operation;
  }

  /** {@return the call that was refused} */
  public Operation operation() {
    return operation;
  }
}
