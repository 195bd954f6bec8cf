package io.kpdedicated.testkit;

import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.http.HttpServiceException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The one registry of open HSM sessions of an {@link InMemoryDedicatedCloud}, shared by every way
 * into the cloud (the in-process transport and the loopback emulator): which instance and unit each
 * session belongs to, when it was last used, and how many may be open. A session ends when it is
 * closed, when its unit is zeroized (by a call or an arranger), when the
 * {@linkplain FaultInjector#crashAfter(int) crash point} is reached, and when it stays unused for
 * the idle timeout on the cloud's clock. Opening one more session than the limits allow is refused
 * before the unit is asked.
 *
 * <p>Guarded by the cloud's lock ({@link CloudState#lock}), so the models may call it while they
 * hold that lock.
 */
final class SessionRegistry {
  /** Where a session belongs and when it was last used. */
  private static final class Entry {
    final String guid;
    final String unitId;
    Instant lastUsed;

    Entry(String guid, String unitId, Instant lastUsed) {
      this.guid = guid;
      this.unitId = unitId;
      this.lastUsed = lastUsed;
    }

    boolean isOn(String g, String u) {
      return guid.equals(g) && unitId.equals(u);
    }
  }

  /** A place held for a session being opened; {@link #open} or {@link #release} it. */
  static final class Reservation {
    private final String guid;
    private final String unitId;

    private Reservation(String guid, String unitId) {
      this.guid = guid;
      this.unitId = unitId;
    }
  }

  private final CloudState state;
  private final Map<String, Entry> open = new HashMap<>();
  private final Map<String, Integer> reservedPerUnit = new HashMap<>();
  private int reserved;

  /**
   * Creates an empty registry; limits and idle timeout come from the cloud's settings.
   *
   * @param state the cloud's shared state (lock, settings, clock)
   */
  SessionRegistry(CloudState state) {
    this.state = Objects.requireNonNull(state, "state");
  }

  private Duration idleTimeout() {
    return state.settings.sessionIdleTimeout();
  }

  /**
   * Holds a place for one more session on a unit.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @return the place, to {@link #open} or {@link #release}
   * @throws HttpServiceException 429 {@code TOO_MANY_SESSIONS} when the unit has its maximum
   *     open, 503 {@code SESSION_LIMIT_REACHED} when the cloud has; both with a {@code Retry-After}
   *     of the seconds until the oldest idle session expires
   */
  Reservation reserve(String guid, String unitId) {
    synchronized (state.lock) {
      Instant now = state.settings.clock().instant();
      expire(now);
      int perUnit = state.settings.maxSessionsPerUnit();
      int total = state.settings.maxSessions();
      int onUnit = reservedPerUnit.getOrDefault(key(guid, unitId), 0);
      for (Entry e : open.values()) {
        if (e.isOn(guid, unitId)) {
          onUnit++;
        }
      }
      if (onUnit >= perUnit) {
        throw limit(unitId, 429, "TOO_MANY_SESSIONS", "crypto unit " + unitId + " has " + perUnit
            + " open sessions, the most it allows; close one (DELETE its session path) or wait"
            + " until an idle one expires (after " + idleTimeout() + " unused)",
            retryAfter(now, guid, unitId));
      }
      if (open.size() + reserved >= total) {
        throw limit(unitId, 503, "SESSION_LIMIT_REACHED", "the cloud has " + total
            + " open sessions, the most it allows; close sessions or wait until idle ones expire"
            + " (after " + idleTimeout() + " unused)", retryAfter(now, null, null));
      }
      reserved++;
      reservedPerUnit.merge(key(guid, unitId), 1, Integer::sum);
      return new Reservation(guid, unitId);
    }
  }

  private HttpServiceException limit(String unitId, int status, String code, String message,
      Duration retryAfter) {
    return HttpServiceException.builder(Operation.OPEN_SESSION, status, message).unitId(unitId)
        .serviceCode(code).requestId(state.nextRequestId()).retryAfter(retryAfter).build();
  }

  /**
   * Turns a reservation into an open session, last used now.
   *
   * @param r the reservation
   * @param sessionId the new session's id
   */
  void open(Reservation r, String sessionId) {
    synchronized (state.lock) {
      release(r);
      open.put(sessionId, new Entry(r.guid, r.unitId, state.settings.clock().instant()));
    }
  }

  /**
   * Gives a reservation back (the session was not opened).
   *
   * @param r the reservation
   */
  void release(Reservation r) {
    synchronized (state.lock) {
      reserved--;
      reservedPerUnit.computeIfPresent(key(r.guid, r.unitId), (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /**
   * Returns whether the session is open on that instance and unit, and marks it used.
   *
   * @param sessionId the session
   * @param guid the instance GUID
   * @param unitId the unit
   * @return false for an unknown, closed, ended, expired or foreign session
   */
  boolean use(String sessionId, String guid, String unitId) {
    synchronized (state.lock) {
      Instant now = state.settings.clock().instant();
      expire(now);
      Entry e = open.get(sessionId);
      if (e == null || !e.isOn(guid, unitId)) {
        return false;
      }
      e.lastUsed = now;
      return true;
    }
  }

  /**
   * Closes one session of that instance and unit.
   *
   * @param sessionId the session
   * @param guid the instance GUID
   * @param unitId the unit
   * @return whether it was open there
   */
  boolean close(String sessionId, String guid, String unitId) {
    synchronized (state.lock) {
      expire(state.settings.clock().instant());
      Entry e = open.get(sessionId);
      if (e == null || !e.isOn(guid, unitId)) {
        return false;
      }
      open.remove(sessionId);
      return true;
    }
  }

  /**
   * Ends every session of a unit (it was zeroized or wiped).
   *
   * @param guid the instance GUID
   * @param unitId the unit
   */
  void endUnit(String guid, String unitId) {
    synchronized (state.lock) {
      open.values().removeIf(e -> e.isOn(guid, unitId));
    }
  }

  /** Ends every session (the crash point was reached: the process holding them is gone). */
  void endAll() {
    synchronized (state.lock) {
      open.clear();
    }
  }

  /**
   * Returns how many sessions are open (idle ones that expired are not counted).
   *
   * @return the count
   */
  int size() {
    synchronized (state.lock) {
      expire(state.settings.clock().instant());
      return open.size();
    }
  }

  /**
   * Returns how many sessions are open on one unit.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @return the count
   */
  int size(String guid, String unitId) {
    synchronized (state.lock) {
      expire(state.settings.clock().instant());
      return (int) open.values().stream().filter(e -> e.isOn(guid, unitId)).count();
    }
  }

  private void expire(Instant now) {
    Instant oldest = now.minus(idleTimeout());
    for (Iterator<Entry> it = open.values().iterator(); it.hasNext(); ) {
      if (!it.next().lastUsed.isAfter(oldest)) {
        it.remove();
      }
    }
  }

  /** Time until the oldest idle session (of the unit, or of all) expires; at least 1 s. */
  private Duration retryAfter(Instant now, String guid, String unitId) {
    Instant first = null;
    for (Entry e : open.values()) {
      if ((unitId == null || e.isOn(guid, unitId))
          && (first == null || e.lastUsed.isBefore(first))) {
        first = e.lastUsed;
      }
    }
    if (first == null) {
      return Duration.ofSeconds(1);
    }
    Duration left = Duration.between(now, first.plus(idleTimeout()));
    long seconds = Math.max(1, left.getSeconds() + (left.getNano() > 0 ? 1 : 0));
    return Duration.ofSeconds(seconds);
  }

  private static String key(String guid, String unitId) {
    return guid + "\n" + unitId;
  }
}
