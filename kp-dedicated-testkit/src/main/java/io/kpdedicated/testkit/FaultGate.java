package io.kpdedicated.testkit;

import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.HttpServiceException;

/**
 * The fault gate every call passes first: counts the call, asks the fault queue, and throws what
 * the decision says (crash, error status, gateway or malformed answer, maintenance, connection drop)
 * or sleeps its latency. Reaching the crash point ends every open HSM session. A
 * call that is let through returns an {@link Admitted} whose {@link Admitted#finish()} applies a
 * lost response after the service did its work.
 */
final class FaultGate {
  private final CloudState state;

  /**
   * Creates the gate.
   *
   * @param state the cloud's shared state (fault queue, stats, sessions)
   */
  FaultGate(CloudState state) {
    this.state = state;
  }

  /** A call let through the gate. */
  static final class Admitted {
    private final Operation op;
    private final String unitId;
    private final boolean loseResponse;

    private Admitted(Operation op, String unitId, boolean loseResponse) {
      this.op = op;
      this.unitId = unitId;
      this.loseResponse = loseResponse;
    }

    /** Ends the call: throws a connection drop if the fault said the answer is lost. */
    void finish() {
      if (loseResponse) {
        throw new TransportException(op, unitId,
            "connection dropped before the answer to " + op.wireName() + " arrived (injected fault;"
                + " the service did perform the call)", null, true, null);
      }
    }
  }

  /**
   * Counts a call and applies the fault queue to it. Call without holding the lock (latency is
   * slept here).
   *
   * @param op the operation
   * @param guid the instance GUID, or null
   * @param unitId the unit, or null
   * @return the admitted call, to {@link Admitted#finish()} after the service's work
   */
  Admitted begin(Operation op, String guid, String unitId) {
    synchronized (state.lock) {
      state.stats.recordCall(op, unitId);
    }
    FaultInjector.Decision decision =
        state.faults.decide(op, unitId, state.unitIndex(guid, unitId));
    if (decision.crash) {
      // The process that held the sessions is gone: every session ends, for every way in.
      state.sessions.endAll();
      throw new SimulatedCrashException(op, unitId);
    }
    if (!decision.latency.isZero()) {
      try {
        state.settings.sleeper().sleep(decision.latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransportException(op, unitId, "interrupted while waiting for the answer to "
            + op.wireName(), null, false, e);
      }
    }
    Fault fault = decision.fault;
    if (fault instanceof Fault.ErrorStatus e) {
      throw HttpServiceException.builder(op, e.status(), e.message())
          .unitId(unitId).serviceCode(e.serviceCode())
          .requestId(state.nextRequestId()).retryAfter(e.retryAfter()).build();
    }
    if (fault instanceof Fault.GatewayAnswer g) {
      throw HttpServiceException.builder(op, g.status(), op.wireName()
              + (unitId == null ? "" : " for crypto unit " + unitId) + " failed: HTTP "
              + g.status() + ": " + g.transportMessage())
          .unitId(unitId).cause(new InjectedGatewayAnswer(g)).build();
    }
    if (fault instanceof Fault.ConnectionDrop) {
      throw new TransportException(op, unitId, "connection dropped during " + op.wireName()
          + (unitId == null ? "" : " on unit " + unitId) + " (injected fault)", null, true, null);
    }
    if (fault instanceof Fault.MalformedAnswer m) {
      throw new TransportException(op, FailureKind.INVALID_ANSWER, unitId, "Malformed answer to "
          + op.wireName() + (unitId == null ? "" : " for crypto unit " + unitId) + ": a "
          + m.body() + " body (injected fault; the service did not perform the call)",
          "The service or a proxy sent an answer that cannot be used; retry.", true,
          new InjectedMalformedAnswer(m));
    }
    if (fault instanceof Fault.Maintenance) {
      throw state.maintenance(op, unitId);
    }
    return new Admitted(op, unitId, fault instanceof Fault.ResponseLost);
  }
}
