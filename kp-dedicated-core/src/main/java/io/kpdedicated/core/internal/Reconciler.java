package io.kpdedicated.core.internal;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.spi.CryptoUnitApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Runs one initialization: prepares the local material (identity, keyshares) first so that a typo
 * in a passphrase fails in seconds rather than after provisioning, then resolves the instance,
 * lists the units and works on the targeted ones concurrently on a bounded pool. One per run.
 */
public final class Reconciler {
  private final InitializerSettings settings;

  /**
   * Creates a reconciler for one run.
   *
   * @param settings the settings
   */
  public Reconciler(InitializerSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Runs.
   *
   * @return the result, when no unit failed
   * @throws PartialFailureException if a unit failed
   */
  public InitializationResult run() {
    Events events = new Events(settings.listener());
    StepRunner steps = new StepRunner(events);
    RetryExecutor retry = RetryExecutor.forSettings(settings, events);
    Waiter waiter = new Waiter(settings.clock(), settings.sleeper(), events);
    AtomicInteger calls = new AtomicInteger();
    try (PreparedIdentity identity = steps.run(Step.ADMIN_IDENTITY, null,
            () -> PreparedIdentity.prepare(settings.adminIdentity(), settings.random(),
                settings.clock()),
            PreparedIdentity::detail);
        KeyMaterial keys = steps.run(Step.KEYSHARES, null,
            () -> KeyMaterial.prepare(settings.masterKey(), settings.keyshareWriteOptions(),
                settings.random(), settings.clock()),
            KeyMaterial::detail)) {
      ResolvedInstance resolved = new InstanceResolver(settings.transport().provisioning(), retry,
          waiter, settings.waitPolicy(), settings.allowPrivateEndpoint(), steps)
          .resolve(settings.instance());
      InstanceTarget target = resolved.target();
      CryptoUnitApi api = settings.transport().cryptoUnits();
      List<CryptoUnit> units = steps.run(Step.LIST_UNITS, null,
          () -> listUnits(api, target, retry, calls), Reconciler::describe);
      checkTargets(units, settings.targetUnits());
      UnitContext ctx = new UnitContext(api, target, identity.signer(), identity::claimPem,
          keys::key, keys.checkValue(), retry, waiter, settings.maintenanceWaitPolicy(),
          settings.clock(), events);
      List<UnitOutcome> outcomes = runUnits(units, ctx);
      InitializationResult result = new InitializationResult(resolved.instance(), target,
          outcomes, keys.checkValue());
      events.publish(new InitializationEvent.Finished(result));
      if (!result.succeeded()) {
        throw new PartialFailureException(result);
      }
      return result;
    }
  }

  private static List<CryptoUnit> listUnits(CryptoUnitApi api, InstanceTarget target,
      RetryExecutor retry, AtomicInteger calls) {
    List<CryptoUnit> units = retry.call(Step.LIST_UNITS, null, calls,
        () -> api.listUnits(target));
    if (units.isEmpty()) {
      throw new InitializationException("instance " + target.instanceGuid()
          + " lists no crypto units", null,
          "Units appear shortly after the instance becomes active; run again in a few minutes.",
          true, null);
    }
    return units;
  }

  static String describe(List<CryptoUnit> units) {
    return units.size() + " crypto units: " + units.stream()
        .map(u -> u.id() + " '" + u.rawState() + "'").collect(Collectors.joining(", "));
  }

  /**
   * Checks that every targeted unit exists.
   *
   * @param units the instance's units
   * @param targets the targeted ids, or {@code null} for all
   * @throws InitializationException naming the unknown ids and the known ones
   */
  static void checkTargets(List<CryptoUnit> units, Set<String> targets) {
    if (targets == null) {
      return;
    }
    Set<String> known = units.stream().map(CryptoUnit::id)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> unknown = new TreeSet<>(targets);
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new InitializationException("the targeted crypto units " + unknown
          + " do not belong to the instance, which has " + known,
          "Target only units of this instance (or leave targetUnits unset to target all).");
    }
  }

  private List<UnitOutcome> runUnits(List<CryptoUnit> units, UnitContext ctx) {
    Set<String> targets = settings.targetUnits();
    List<CryptoUnit> work = units.stream()
        .filter(u -> targets == null || targets.contains(u.id())).toList();
    int threads = Math.max(1, Math.min(settings.concurrency(), work.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, new UnitThreads());
    try {
      Map<String, Future<UnitOutcome>> futures = new LinkedHashMap<>();
      for (CryptoUnit unit : work) {
        futures.put(unit.id(), pool.submit(new UnitWorker(unit, ctx)));
      }
      List<UnitOutcome> outcomes = new ArrayList<>();
      for (CryptoUnit unit : units) {
        Future<UnitOutcome> future = futures.get(unit.id());
        outcomes.add(future == null ? notTargeted(unit) : await(future, unit));
      }
      return outcomes;
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

  private static UnitOutcome notTargeted(CryptoUnit unit) {
    return new UnitOutcome(unit.id(), unit.state(), unit.state(), UnitOutcome.Status.NOT_TARGETED,
        List.of(), 0, null, null);
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
