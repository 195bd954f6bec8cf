package io.kpdedicated.testkit.nativehsm;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The stand-in's fault injection on the native path: failures queued per export (optionally for
 * one unit, before or after the call took effect), answer texts that replace a success's, and
 * latency per export. Thread-safe.
 */
final class StandInFaults {
  /** A queued failure: for one unit or any (null), with its status and result text. */
  record Fault(String unitId, long status, String message, boolean afterEffect) {}

  /** What applies to one call, taken at once: its latency, its failure and its raw answer. */
  record Decision(Duration latency, Fault fault, byte[] raw) {}

  private final Map<String, Deque<Fault>> faults = new HashMap<>();
  private final Map<String, byte[]> rawAnswers = new HashMap<>();
  private final Map<String, Duration> latencies = new HashMap<>();

  synchronized void add(String fn, int times, Fault fault) {
    Objects.requireNonNull(fn, "fn");
    Deque<Fault> q = faults.computeIfAbsent(fn, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      q.add(fault);
    }
  }

  synchronized void answerRaw(String fn, byte[] text) {
    rawAnswers.put(Objects.requireNonNull(fn, "fn"), text.clone());
  }

  synchronized void latency(String fn, Duration latency) {
    latencies.put(Objects.requireNonNull(fn, "fn"), Objects.requireNonNull(latency, "latency"));
  }

  synchronized void clear() {
    faults.clear();
    rawAnswers.clear();
    latencies.clear();
  }

  /** Takes what applies to a call of {@code fn} on {@code unitId} (null when unknown). */
  synchronized Decision take(String fn, String unitId) {
    return new Decision(latencies.getOrDefault(fn, Duration.ZERO), takeFault(fn, unitId),
        rawAnswers.get(fn));
  }

  private Fault takeFault(String fn, String unitId) {
    Deque<Fault> q = faults.get(fn);
    if (q == null) {
      return null;
    }
    for (var it = q.iterator(); it.hasNext(); ) {
      Fault f = it.next();
      if (f.unitId() == null || f.unitId().equals(unitId)) {
        it.remove();
        return f;
      }
    }
    return null;
  }
}
