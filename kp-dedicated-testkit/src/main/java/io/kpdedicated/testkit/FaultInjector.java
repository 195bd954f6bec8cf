package io.kpdedicated.testkit;

import io.kpdedicated.core.spi.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The fault queue of an {@link InMemoryDedicatedCloud}: tells the cloud to fail, drop, delay or
 * put in maintenance some of the calls it receives.
 *
 * <p>Rules are matched in the order they were added. For each call, every matching
 * {@linkplain Fault.Latency latency} rule delays it (and uses up one of its {@code times}); then
 * the first matching rule of any other kind fires and uses up one of its {@code times}. A rule
 * whose count reaches zero leaves the queue. On top of the queue there is a seeded
 * {@linkplain #chaos(double, long) chaos mode} and a {@linkplain #crashAfter(int) crash point}.
 *
 * <pre>{@code
 * cloud.faults()
 *     .on(Operation.IMPORT_MASTER_KEY).unitIndex(1).error(503, "SERVICE_UNAVAILABLE", "busy")
 *     .on(Operation.CLAIM).anyUnit().times(2).dropConnection()
 *     .maintenance(UnitRef.index(0), 3);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FaultInjector {
  private final Object lock = new Object();
  private final List<Entry> entries = new ArrayList<>();
  private Random chaosRandom;
  private double chaosProbability;
  private long crashBudget = -1;
  private boolean crashed;

  FaultInjector() {}

  private static final class Entry {
    final FaultRule rule;
    int remaining;

    Entry(FaultRule rule) {
      this.rule = rule;
      this.remaining = rule.times();
    }

    void use() {
      if (remaining != FaultRule.FOREVER) {
        remaining--;
      }
    }

    boolean exhausted() {
      return remaining == 0;
    }
  }

  /**
   * Adds a rule at the end of the queue.
   *
   * @param rule the rule
   * @return this injector
   */
  public FaultInjector add(FaultRule rule) {
    Objects.requireNonNull(rule, "rule");
    synchronized (lock) {
      entries.add(new Entry(rule));
    }
    return this;
  }

  /**
   * Starts a rule for one operation. Finish it with one of the {@link FaultSpec} actions.
   *
   * @param operation the operation to affect
   * @return a spec that adds the rule when an action is chosen
   */
  public FaultSpec on(Operation operation) {
    return new FaultSpec(this, Objects.requireNonNull(operation, "operation"));
  }

  /**
   * Starts a rule for every operation. Finish it with one of the {@link FaultSpec} actions.
   *
   * @return a spec that adds the rule when an action is chosen
   */
  public FaultSpec onAnyOperation() {
    return new FaultSpec(this, null);
  }

  /**
   * Puts a unit in maintenance for its next {@code calls} calls (unit listings count as one call
   * for the unit): it reports {@code maintenance} and its calls fail with a retryable 503.
   *
   * @param unit the unit (not {@link UnitRef#any()})
   * @param calls 1 or more
   * @return this injector
   */
  public FaultInjector maintenance(UnitRef unit, int calls) {
    return add(new FaultRule(null, unit, new Fault.Maintenance(), calls));
  }

  /**
   * Turns on chaos: each call, with probability {@code probability}, fails with a retryable fault
   * (503, 429 with a one-second {@code Retry-After}, or a dropped connection) chosen by a random
   * generator seeded with {@code seed}. Queue rules still apply first.
   *
   * @param probability 0 (off) to 1 (every call)
   * @param seed the seed, so a failing run can be replayed
   * @return this injector
   */
  public FaultInjector chaos(double probability, long seed) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be between 0 and 1, got " + probability);
    }
    synchronized (lock) {
      chaosProbability = probability;
      chaosRandom = new Random(seed);
    }
    return this;
  }

  /**
   * Turns chaos off.
   *
   * @return this injector
   */
  public FaultInjector chaosOff() {
    synchronized (lock) {
      chaosProbability = 0;
      chaosRandom = null;
    }
    return this;
  }

  /**
   * Sets a crash point: the next {@code operations} calls proceed; every call after them throws a
   * non-retryable {@link SimulatedCrashException}, as if the caller's process had died, until
   * {@link #clear()}.
   *
   * @param operations 0 or more
   * @return this injector
   */
  public FaultInjector crashAfter(int operations) {
    if (operations < 0) {
      throw new IllegalArgumentException("operations must be 0 or more, got " + operations);
    }
    synchronized (lock) {
      crashBudget = operations;
      crashed = false;
    }
    return this;
  }

  /** {@return whether the crash point was reached} */
  public boolean crashed() {
    synchronized (lock) {
      return crashed;
    }
  }

  /**
   * Removes every rule, turns chaos off and removes the crash point.
   *
   * @return this injector
   */
  public FaultInjector clear() {
    synchronized (lock) {
      entries.clear();
      chaosProbability = 0;
      chaosRandom = null;
      crashBudget = -1;
      crashed = false;
    }
    return this;
  }

  /**
   * Returns the rules still in the queue, with their remaining counts as {@code times}.
   *
   * @return a snapshot, in queue order
   */
  public List<FaultRule> pending() {
    synchronized (lock) {
      List<FaultRule> out = new ArrayList<>();
      for (Entry e : entries) {
        out.add(new FaultRule(e.rule.operation(), e.rule.unit(), e.rule.fault(), e.remaining));
      }
      return List.copyOf(out);
    }
  }

  /** What the queue decided for one call. */
  static final class Decision {
    static final Decision NONE = new Decision(Duration.ZERO, null, false);

    final Duration latency;
    final Fault fault;
    final boolean crash;

    Decision(Duration latency, Fault fault, boolean crash) {
      this.latency = latency;
      this.fault = fault;
      this.crash = crash;
    }
  }

  /** Decides what happens to a call; uses up the rules that apply. */
  Decision decide(Operation op, String unitId, int unitIndex) {
    synchronized (lock) {
      if (crashBudget >= 0) {
        if (crashed || crashBudget == 0) {
          crashed = true;
          return new Decision(Duration.ZERO, null, true);
        }
        crashBudget--;
      }
      if (entries.isEmpty() && chaosRandom == null) {
        return Decision.NONE;
      }
      Duration latency = Duration.ZERO;
      Fault fault = null;
      for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (!e.rule.matches(op, unitId, unitIndex)) {
          continue;
        }
        if (e.rule.fault() instanceof Fault.Latency l) {
          latency = latency.plus(l.delay());
        } else if (fault == null) {
          fault = e.rule.fault();
        } else {
          continue;
        }
        e.use();
        if (e.exhausted()) {
          it.remove();
        }
      }
      if (fault == null && chaosRandom != null && chaosRandom.nextDouble() < chaosProbability) {
        switch (chaosRandom.nextInt(3)) {
          case 0:
            fault = new Fault.ErrorStatus(503, "SERVICE_UNAVAILABLE",
                "service unavailable (chaos)", null);
            break;
          case 1:
            fault = new Fault.ErrorStatus(429, "TOO_MANY_REQUESTS", "too many requests (chaos)",
                Duration.ofSeconds(1));
            break;
          default:
            fault = new Fault.ConnectionDrop();
            break;
        }
      }
      return new Decision(latency, fault, false);
    }
  }

  /** Returns whether a unit listing should show the unit in maintenance; uses up one call. */
  boolean maintenanceForListing(String unitId, int unitIndex) {
    synchronized (lock) {
      for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (e.rule.fault() instanceof Fault.Maintenance
            && (e.rule.operation() == null || e.rule.operation() == Operation.LIST_UNITS)
            && e.rule.unit().matches(unitId, unitIndex)) {
          e.use();
          if (e.exhausted()) {
            it.remove();
          }
          return true;
        }
      }
      return false;
    }
  }
}
