package io.kpdedicated.core.internal;

import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.KeyMismatchException;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.ServiceException;
import java.util.Objects;
import java.util.function.Function;

/**
 * One unit worker's HSM session: opened on first use, kept across steps, closed (and opened again
 * on the next use) after a failure. A unit that refuses the administrator credential is reported
 * as claimed by another administrator. Used by one thread.
 */
final class UnitSession implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(UnitSession.class.getName());

  /** What to do about a unit claimed by another administrator. */
  static final String CLAIMED_BY_OTHER_REMEDIATION = "Use the identity the unit was claimed with"
      + " (AdminIdentitySource.load), or zeroize the unit (this erases its master key) and run"
      + " again to claim it with this identity. If the API key lacks access to the instance, the"
      + " refusal comes from the token instead: check its access policy.";

  private final UnitContext ctx;
  private final String id;
  private HsmSession session;

  UnitSession(UnitContext ctx, String id) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.id = Objects.requireNonNull(id, "id");
  }

  /** Runs {@code body} in the session, opening it first when needed. */
  <T> T with(Function<HsmSession, T> body) {
    try {
      if (session == null) {
        session = ctx.openSession(id);
      }
      return body.apply(session);
    } catch (ServiceException e) {
      close();
      if (e.kind() == FailureKind.NOT_ADMIN || e.kind() == FailureKind.NOT_AUTHORIZED) {
        throw notOurAdministrator(e);
      }
      throw e;
    } catch (KeyMismatchException e) {
      throw e;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private InitializationException notOurAdministrator(ServiceException e) {
    return new InitializationException("crypto unit " + id + " refused the administrator's"
        + " signed command (" + e.kind() + "): it is claimed by a different administrator key"
        + " than the one this run uses", id, CLAIMED_BY_OTHER_REMEDIATION, false, e);
  }

  @Override
  public void close() {
    HsmSession s = session;
    session = null;
    if (s != null) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, () -> "closing the session of crypto unit " + id
            + " failed: " + e.getClass().getName(), e);
      }
    }
  }
}
