package io.kpdedicated.testkit.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The HSM sessions the emulator has open: which instance and unit each belongs to, when it was last
 * used, and the limits on how many may be open. A session that stays unused for the idle timeout
 * (measured on the cloud's clock) is gone; opening one more than the limits allow is refused before
 * the unit is asked. Thread-safe.
 */
final class OpenSessions {
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
  }

  /** A place held for a session being opened; {@link #open} or {@link #release} it. */
  static final class Reservation {
    final String guid;
    final String unitId;

    private Reservation(String guid, String unitId) {
      this.guid = guid;
      this.unitId = unitId;
    }
  }

  private final Clock clock;
  private final Duration idleTimeout;
  private final int maxPerUnit;
  private final int maxTotal;
  private final Map<String, Entry> open = new HashMap<>();
  private final Map<String, Integer> reservedPerUnit = new HashMap<>();
  private int reserved;

  OpenSessions(Clock clock, Duration idleTimeout, int maxPerUnit, int maxTotal) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    this.maxPerUnit = maxPerUnit;
    this.maxTotal = maxTotal;
  }

  /**
   * Holds a place for one more session on a unit.
   *
   * @throws EmulatorHandler.Refusal 429 {@code TOO_MANY_SESSIONS} when the unit has its maximum
   *     open, 503 {@code SESSION_LIMIT_REACHED} when the emulator has
   */
  synchronized Reservation reserve(String guid, String unitId) {
    Instant now = clock.instant();
    expire(now);
    int onUnit = reservedPerUnit.getOrDefault(unitId, 0);
    for (Entry e : open.values()) {
      if (e.unitId.equals(unitId)) {
        onUnit++;
      }
    }
    if (onUnit >= maxPerUnit) {
      throw new EmulatorHandler.Refusal(429, "TOO_MANY_SESSIONS", "crypto unit " + unitId + " has "
          + maxPerUnit + " open sessions, the most it allows; close one (DELETE its session path)"
          + " or wait until an idle one expires (after " + idleTimeout + " unused)",
          retryAfterSeconds(now, unitId));
    }
    if (open.size() + reserved >= maxTotal) {
      throw new EmulatorHandler.Refusal(503, "SESSION_LIMIT_REACHED", "the emulator has " + maxTotal
          + " open sessions, the most it allows; close sessions or wait until idle ones expire"
          + " (after " + idleTimeout + " unused)", retryAfterSeconds(now, null));
    }
    reserved++;
    reservedPerUnit.merge(unitId, 1, Integer::sum);
    return new Reservation(guid, unitId);
  }

  /** Turns a reservation into an open session. */
  synchronized void open(Reservation r, String sessionId) {
    release(r);
    open.put(sessionId, new Entry(r.guid, r.unitId, clock.instant()));
  }

  /** Gives a reservation back (the session was not opened). */
  synchronized void release(Reservation r) {
    reserved--;
    reservedPerUnit.computeIfPresent(r.unitId, (k, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * Returns whether the session is open on that instance and unit, and marks it used.
   *
   * @return false for an unknown, closed, expired or foreign session
   */
  synchronized boolean use(String sessionId, String guid, String unitId) {
    Instant now = clock.instant();
    expire(now);
    Entry e = open.get(sessionId);
    if (e == null || !e.guid.equals(guid) || !e.unitId.equals(unitId)) {
      return false;
    }
    e.lastUsed = now;
    return true;
  }

  /** Closes one session. */
  synchronized void close(String sessionId) {
    open.remove(sessionId);
  }

  /** Ends every session of a unit (it was zeroized). */
  synchronized void endUnit(String guid, String unitId) {
    open.values().removeIf(e -> e.guid.equals(guid) && e.unitId.equals(unitId));
  }

  /** Returns how many sessions are open (idle ones that expired are not counted). */
  synchronized int size() {
    expire(clock.instant());
    return open.size();
  }

  private void expire(Instant now) {
    Instant oldest = now.minus(idleTimeout);
    for (Iterator<Entry> it = open.values().iterator(); it.hasNext(); ) {
      if (!it.next().lastUsed.isAfter(oldest)) {
        it.remove();
      }
    }
  }

  /** Seconds until the oldest idle session (of the unit, or of all) expires; at least 1. */
  private long retryAfterSeconds(Instant now, String unitId) {
    Instant first = null;
    for (Entry e : open.values()) {
      if ((unitId == null || e.unitId.equals(unitId))
          && (first == null || e.lastUsed.isBefore(first))) {
        first = e.lastUsed;
      }
    }
    if (first == null) {
      return 1;
    }
    Duration left = Duration.between(now, first.plus(idleTimeout));
    return Math.max(1, left.getSeconds() + (left.getNano() > 0 ? 1 : 0));
  }
}
