package io.kpdedicated.core.internal;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationListener;
import io.kpdedicated.core.InitializationPlan;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.MasterKeyConflictException;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.core.spi.PreparedMasterKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Runs one initialization, or plans one: the same code either way. A plan is a run over
 * {@link DryRun}, which reads the real service and records changes instead of making them.
 *
 * <p>The order: the local material first (administrator credential, keyshares) so that a wrong
 * passphrase fails in seconds and before anything is created; then the instance (find or create,
 * wait until active, resolve the endpoint); then the units ({@link UnitPhase}); then the final
 * check that the instance holds one master key. One per run.
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
   * @throws MasterKeyConflictException if the final check finds more than one key
   */
  public InitializationResult run() {
    Recording rec = new Recording(false);
    Execution execution = execute(settings.transport(), rec, settings.listener());
    InitializationResult result = execution.result(rec);
    rec.events.publish(new InitializationEvent.Finished(result));
    if (execution.conflict != null) {
      throw new MasterKeyConflictException(execution.conflict.unitKeys(),
          execution.conflict.otherAdministrator(), execution.conflict.expected().orElse(null),
          result);
    }
    if (!result.succeeded()) {
      throw new PartialFailureException(result);
    }
    return result;
  }

  /**
   * Plans: the run over a transport that records instead of changing. Failures that would stop
   * the run become the plan's problems.
   *
   * @return the plan
   */
  public InitializationPlan plan() {
    Recording rec = new Recording(true);
    InitializationListener user = settings.listener();
    InitializationListener forwardRetries = e -> {
      if (e instanceof InitializationEvent.Retrying) {
        user.onEvent(e);
      }
    };
    Execution execution = null;
    KpDedicatedException problem = null;
    try {
      execution = execute(new DryRun(settings.transport()), rec, forwardRetries);
    } catch (KpDedicatedException e) {
      problem = e;
    }
    return PlanAssembler.assemble(rec, execution, problem,
        settings.transport().hsm().description(), settings.targetUnits(),
        settings.adminIdentity(), settings.masterKey());
  }

  /** What a run records as it goes, for the result or the plan. */
  static final class Recording {
    final boolean dryRun;
    final List<Step> instanceSteps = new java.util.concurrent.CopyOnWriteArrayList<>();
    Events events;
    InstanceResolver resolver;
    AdminCredential admin;
    PreparedMasterKey key;
    List<CryptoUnit> units;

    Recording(boolean dryRun) {
      this.dryRun = dryRun;
    }

    void onEvent(InitializationEvent e) {
      if (e instanceof InitializationEvent.StepSucceeded s && s.unitId() == null
          && !s.step().isUnitStep()) {
        instanceSteps.add(s.step());
      }
    }
  }

  /** The end of an execution. */
  static final class Execution {
    final InstanceTarget target;
    final List<UnitOutcome> outcomes;
    final UnitPhase phase;
    final UnitContext ctx;
    final MasterKeyConflictException conflict;

    Execution(InstanceTarget target, List<UnitOutcome> outcomes, UnitPhase phase,
        UnitContext ctx, MasterKeyConflictException conflict) {
      this.target = target;
      this.outcomes = outcomes;
      this.phase = phase;
      this.ctx = ctx;
      this.conflict = conflict;
    }

    InitializationResult result(Recording rec) {
      return new InitializationResult(rec.resolver.instance(), target, outcomes,
          ctx.expected(), rec.instanceSteps);
    }
  }

  private Execution execute(DedicatedTransport transport, Recording rec,
      InitializationListener listener) {
    InitializationListener user = Objects.requireNonNull(listener, "listener");
    Events events = new Events(e -> {
      rec.onEvent(e);
      user.onEvent(e);
    });
    rec.events = events;
    StepRunner steps = new StepRunner(events);
    RetryExecutor retry = RetryExecutor.forSettings(settings, events);
    Waiter waiter = new Waiter(settings.clock(), settings.sleeper(), events);
    PrepareContext prepare = new PrepareContext(rec.dryRun, settings.random(), settings.clock(),
        settings.kdfCost());
    LocalPreparation.Prepared local = LocalPreparation.prepare(transport.hsm(),
        settings.adminIdentity(), settings.masterKey(), prepare, steps);
    try (AdminCredential admin = local.admin(); PreparedMasterKey key = local.key()) {
      rec.admin = admin;
      rec.key = key;
      rec.resolver = new InstanceResolver(transport.provisioning(), retry, waiter,
          settings.waitPolicy(), settings.allowPrivateEndpoint(), steps, rec.dryRun);
      ResolvedInstance resolved = rec.resolver.resolve(settings.instance());
      if (resolved == null) {
        steps.run(Step.LIST_UNITS, null, () -> "", x -> "would list the crypto units");
        return null;
      }
      InstanceTarget target = resolved.target();
      CryptoUnitApi api = transport.cryptoUnits();
      AtomicInteger calls = new AtomicInteger();
      List<CryptoUnit> units = steps.run(Step.LIST_UNITS, null,
          () -> listUnits(api, target, retry, calls), Reconciler::describe);
      rec.units = units;
      checkTargets(units, settings.targetUnits());
      UnitContext ctx = new UnitContext(api, transport.hsm(), target, admin, key, retry, waiter,
          settings.maintenanceWaitPolicy(), settings.clock(), events, rec.dryRun);
      UnitPhase phase = new UnitPhase(ctx, steps, settings.concurrency());
      List<UnitOutcome> outcomes = phase.run(units, settings.targetUnits());
      Optional<MasterKeyConflictException> conflict = phase.verifyInstance(
          () -> retry.call(Step.VERIFY_INSTANCE, null, calls, () -> api.listUnits(target)));
      return new Execution(target, outcomes, phase, ctx, conflict.orElse(null));
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
}
