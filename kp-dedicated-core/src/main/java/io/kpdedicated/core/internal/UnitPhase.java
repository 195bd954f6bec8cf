package io.kpdedicated.core.internal;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.MasterKeyConflictException;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.CryptoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Works on the targeted units of one run, keeping one master key per instance:
 *
 * <ol>
 *   <li>When some unit may need the key, read the check values of every unit that holds one
 *       ({@link Step#SURVEY_KEYS}); if loading would give the instance a second key, no unit gets
 *       one (they fail with a {@link MasterKeyConflictException}, untouched).
 *   <li>When the instance holds no key yet (or its value is not known before a unit holds it), the
 *       first unit that needs the key is worked on alone; claims are not idempotent and a unit
 *       takes one key only, so of two concurrent runs only one gets past this unit. If it fails,
 *       no other unit gets a key in this run.
 *   <li>The other units are worked on concurrently on a bounded pool.
 *   <li>After the last load, every unit of the instance is read again ({@link
 *       Step#VERIFY_INSTANCE}).
 * </ol>
 *
 * One per run.
 */
final class UnitPhase {
  private final UnitContext ctx;
  private final StepRunner steps;
  private final int concurrency;
  private final Map<String, String> notes = new LinkedHashMap<>();
  private boolean anyLoaded;

  UnitPhase(UnitContext ctx, StepRunner steps, int concurrency) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.steps = Objects.requireNonNull(steps, "steps");
    this.concurrency = concurrency;
  }

  /**
   * Works on the units.
   *
   * @param units every unit of the instance, as listed
   * @param targets the targeted ids, or {@code null} for all
   * @return one outcome per unit, in listing order
   */
  List<UnitOutcome> run(List<CryptoUnit> units, Set<String> targets) {
    Map<String, UnitOutcome> outcomes = new LinkedHashMap<>();
    List<CryptoUnit> work = new ArrayList<>();
    for (CryptoUnit unit : units) {
      if (targets == null || targets.contains(unit.id())) {
        work.add(unit);
      } else {
        outcomes.put(unit.id(), new UnitOutcome(unit.id(), unit.state(), unit.state(),
            UnitOutcome.Status.NOT_TARGETED, List.of(), 0, null, null));
      }
    }
    if (work.stream().anyMatch(UnitPhase::mayLoad)) {
      InstanceKeys before = steps.run(Step.SURVEY_KEYS, null,
          () -> InstanceKeys.read(ctx, units, Step.SURVEY_KEYS), InstanceKeys::describe);
      Optional<MasterKeyConflictException> conflict =
          before.conflict(ctx.expected(), ctx.key().needsGeneration());
      if (conflict.isPresent()) {
        for (CryptoUnit unit : List.copyOf(work)) {
          if (mayLoad(unit)) {
            outcomes.put(unit.id(), notStarted(unit, conflict.get()));
            work.remove(unit);
          }
        }
      } else {
        before.instanceKey().ifPresent(ctx::learn);
        if (before.empty() || !ctx.key().checkedOffline()) {
          anchor(work, outcomes);
        }
      }
    }
    for (Map.Entry<String, UnitOutcome> e : concurrently(work).entrySet()) {
      outcomes.put(e.getKey(), e.getValue());
    }
    List<UnitOutcome> ordered = new ArrayList<>();
    for (CryptoUnit unit : units) {
      ordered.add(outcomes.get(unit.id()));
    }
    return ordered;
  }

  /**
   * Reads the instance again after the last load, when this run loaded a key.
   *
   * @param relist lists the units again
   * @return the conflict found, or empty
   */
  Optional<MasterKeyConflictException> verifyInstance(
      java.util.function.Supplier<List<CryptoUnit>> relist) {
    if (!anyLoaded) {
      return Optional.empty();
    }
    InstanceKeys after = steps.run(Step.VERIFY_INSTANCE, null,
        () -> InstanceKeys.read(ctx, relist.get(), Step.VERIFY_INSTANCE), InstanceKeys::describe);
    return after.conflict(ctx.expected(), false);
  }

  /** Returns the remarks for plans, by unit. */
  Map<String, String> notes() {
    return notes;
  }

  /** Whether a unit may need the master key: its decision loads one, or it waits (unknown). */
  private static boolean mayLoad(CryptoUnit unit) {
    UnitLifecycle.Decision d = UnitLifecycle.decide(unit.state(), unit.rawState());
    return d.kind() == UnitLifecycle.Kind.WAIT || d.steps().contains(Step.IMPORT_MASTER_KEY);
  }

  private void anchor(List<CryptoUnit> work, Map<String, UnitOutcome> outcomes) {
    CryptoUnit first = work.stream().filter(u -> {
      UnitLifecycle.Decision d = UnitLifecycle.decide(u.state(), u.rawState());
      return d.kind() == UnitLifecycle.Kind.WORK && d.steps().contains(Step.IMPORT_MASTER_KEY);
    }).findFirst().orElse(null);
    if (first == null) {
      return;
    }
    UnitOutcome outcome = runWorker(first);
    outcomes.put(first.id(), outcome);
    work.remove(first);
    if (!outcome.failed()) {
      return;
    }
    KpDedicatedException cause = outcome.failure();
    InitializationException stop = new InitializationException("not started: crypto unit "
        + first.id() + ", the first to take the instance's master key, failed ("
        + cause.getMessage() + "); no other unit gets a key in this run", null,
        "Fix what stopped unit " + first.id() + " (see its failure), then run again.",
        cause.retryable(), cause);
    for (CryptoUnit unit : List.copyOf(work)) {
      if (mayLoad(unit)) {
        outcomes.put(unit.id(), notStarted(unit, stop));
        work.remove(unit);
      }
    }
  }

  private UnitOutcome notStarted(CryptoUnit unit, KpDedicatedException why) {
    UnitOutcome outcome = new UnitOutcome(unit.id(), unit.state(), unit.state(),
        UnitOutcome.Status.FAILED, List.of(), 0, null, why);
    ctx.events().publish(new InitializationEvent.UnitFailed(outcome));
    return outcome;
  }

  private UnitOutcome runWorker(CryptoUnit unit) {
    UnitWorker worker = new UnitWorker(unit, ctx);
    UnitOutcome outcome = worker.call();
    record(unit, worker);
    return outcome;
  }

  private synchronized void record(CryptoUnit unit, UnitWorker worker) {
    anyLoaded |= worker.loaded();
    if (!worker.note().isEmpty()) {
      notes.put(unit.id(), worker.note());
    }
  }

  private Map<String, UnitOutcome> concurrently(List<CryptoUnit> work) {
    Map<String, UnitOutcome> out = new LinkedHashMap<>();
    if (work.isEmpty()) {
      return out;
    }
    int threads = Math.max(1, Math.min(concurrency, work.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, new UnitThreads());
    try {
      Map<String, Future<UnitOutcome>> futures = new LinkedHashMap<>();
      for (CryptoUnit unit : work) {
        futures.put(unit.id(), pool.submit(() -> runWorker(unit)));
      }
      for (CryptoUnit unit : work) {
        out.put(unit.id(), await(futures.get(unit.id()), unit));
      }
      return out;
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
      throw Failures.interrupted("working on the crypto units", null, e);
    } finally {
      pool.shutdown();
    }
  }

  private static UnitOutcome await(Future<UnitOutcome> future, CryptoUnit unit)
      throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      KpDedicatedException failure = cause instanceof RuntimeException r
          ? Failures.asSdkException(r, Step.LIST_UNITS, unit.id())
          : new KpDedicatedException("unexpected failure on crypto unit " + unit.id(), cause);
      return new UnitOutcome(unit.id(), unit.state(), unit.state(), UnitOutcome.Status.FAILED,
          List.of(), 0, null, failure);
    }
  }

  /** Names the pool's threads and makes them daemons, so a stuck call never pins the JVM. */
  private static final class UnitThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "kp-dedicated-unit-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
