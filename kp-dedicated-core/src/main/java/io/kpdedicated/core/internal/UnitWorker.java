package io.kpdedicated.core.internal;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.KeyMismatchException;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.WaitTimeoutException;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.ServiceException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Brings one crypto unit to {@code kms-initialized}, doing only what its state still needs
 * ({@link UnitLifecycle}) and staying idempotent within each step: before an import the unit's
 * master keys are listed (same check value: skip; another: mismatch, never overwritten; that
 * listing, or the import's answer, is also what the unit's {@code VERIFY} checks), before
 * adding the crypto user its users are listed, and a claim refused because the unit is already
 * claimed counts as done (the next signed call proves whose claim it is). A unit in
 * {@code maintenance} is waited for within its own budget and then decided again.
 *
 * <p>Never throws: every failure ends in the returned {@link UnitOutcome}. One instance per unit
 * and run, used by one thread.
 */
final class UnitWorker implements Callable<UnitOutcome> {
  /** How often a unit may be decided again (after maintenance or a concurrent change). */
  static final int MAX_ROUNDS = 8;

  private final CryptoUnit unit;
  private final String id;
  private final UnitContext ctx;
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<Step> performed = new ArrayList<>();
  private boolean changed;
  private UnitState lastState;
  private CheckValue observed;
  /** The keys this round's load step read (listing or import answer), or null. */
  private List<MasterKeyInfo> keysRead;
  private boolean loaded;
  private String note = "";
  private final UnitSession session;
  private Instant maintenanceStart;
  private Step currentStep = Step.LIST_UNITS;

  UnitWorker(CryptoUnit unit, UnitContext ctx) {
    this.unit = Objects.requireNonNull(unit, "unit");
    this.id = unit.id();
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.lastState = unit.state();
    this.session = new UnitSession(ctx, id);
  }

  @Override
  public UnitOutcome call() {
    UnitOutcome outcome;
    try {
      work();
      outcome = outcome(changed ? UnitOutcome.Status.SUCCEEDED : UnitOutcome.Status.ALREADY_DONE,
          null);
    } catch (KeyMismatchException e) {
      outcome = outcome(UnitOutcome.Status.MISMATCH, e);
    } catch (RuntimeException e) {
      outcome = outcome(UnitOutcome.Status.FAILED, Failures.asSdkException(e, currentStep, id));
    } finally {
      session.close();
    }
    ctx.events().publish(outcome.failed()
        ? new InitializationEvent.UnitFailed(outcome)
        : new InitializationEvent.UnitFinished(outcome));
    return outcome;
  }

  /** Returns whether this worker loaded the master key into its unit. */
  boolean loaded() {
    return loaded;
  }

  /** Returns a remark for plans (a dry run that stopped at maintenance), or empty. */
  String note() {
    return note;
  }

  private UnitOutcome outcome(UnitOutcome.Status status, KpDedicatedException failure) {
    return new UnitOutcome(id, unit.state(), lastState, status, performed, attempts.get(),
        observed, failure);
  }

  private void work() {
    UnitState state = unit.state();
    String raw = unit.rawState();
    for (int round = 1; ; round++) {
      if (round > MAX_ROUNDS) {
        throw new InitializationException("crypto unit " + id + " kept changing state while it"
            + " was being initialized (last '" + raw + "')", id,
            "Something else may be working on this unit; make sure only one initializer runs,"
                + " then run again.", true, null);
      }
      if (state == UnitState.MAINTENANCE) {
        if (ctx.dryRun()) {
          note = UnitLifecycle.decide(state, raw).reason();
          return; // a plan does not wait: what the unit needs after maintenance is not known yet
        }
        CryptoUnit now = waitMaintenance();
        state = now.state();
        raw = now.rawState();
        continue;
      }
      UnitLifecycle.Decision decision = UnitLifecycle.decide(state, raw);
      if (decision.kind() == UnitLifecycle.Kind.FAIL) {
        throw new InitializationException("crypto unit " + id + " is in state '" + raw
            + "' and cannot be initialized", id, decision.reason(), false, null);
      }
      try {
        CryptoUnit restart = runSteps(decision.steps());
        if (restart == null) {
          CryptoUnit now = relist();
          if (now.state() == UnitState.KMS_INITIALIZED) {
            return;
          }
          if (now.state() != UnitState.MAINTENANCE) {
            throw new InitializationException("crypto unit " + id + " ended in state '"
                + now.rawState() + "' instead of 'kms-initialized'", id,
                "Run again: the initializer does what the unit still needs.", true, null);
          }
          restart = now;
        }
        state = restart.state();
        raw = restart.rawState();
      } catch (KpDedicatedException e) {
        if (!e.retryable() || e instanceof WaitTimeoutException) {
          throw e;
        }
        CryptoUnit now = relistAfterFailure(e);
        if (now.state() != UnitState.MAINTENANCE) {
          throw e;
        }
        state = now.state();
        raw = now.rawState();
      }
    }
  }

  /** Runs steps; returns the unit to decide again from, or {@code null} when all are done. */
  private CryptoUnit runSteps(List<Step> steps) {
    keysRead = null;
    for (Step step : steps) {
      switch (step) {
        case CLAIM: {
          CryptoUnit restart = step(Step.CLAIM, this::claim);
          if (restart != null) {
            return restart;
          }
          break;
        }
        case IMPORT_MASTER_KEY: {
          Step load = ctx.key().needsGeneration() ? Step.GENERATE_MASTER_KEY
              : Step.IMPORT_MASTER_KEY;
          step(load, () -> loadMasterKey(load));
          break;
        }
        case ADD_CRYPTO_USER:
          step(Step.ADD_CRYPTO_USER, this::addCryptoUser);
          break;
        case VERIFY:
          step(Step.VERIFY, this::verify);
          break;
        default:
          throw new IllegalStateException("not a unit step: " + step);
      }
    }
    return null;
  }

  private <T> T step(Step step, Supplier<T> body) {
    currentStep = step;
    ctx.events().publish(new InitializationEvent.StepStarted(step, id));
    try {
      return body.get();
    } catch (RuntimeException e) {
      ctx.events().publish(new InitializationEvent.StepFailed(step, id,
          Failures.asSdkException(e, step, id)));
      throw e;
    }
  }

  private void succeeded(Step step, String detail) {
    performed.add(step);
    ctx.events().publish(new InitializationEvent.StepSucceeded(step, id, detail));
  }

  private void skipped(Step step, String reason) {
    ctx.events().publish(new InitializationEvent.StepSkipped(step, id, reason));
  }

  // ---- steps ----

  private CryptoUnit claim() {
    try {
      ctx.retry().call(Step.CLAIM, id, attempts, () -> {
        ctx.api().claim(ctx.target(), id, ctx.admin().claimPublicKeyPem());
        return null;
      });
    } catch (KpDedicatedException e) {
      // Refused or unanswered: maybe the unit is claimed already (by an earlier attempt of ours,
      // whose answer was lost). The next signed call tells whether the claim is ours.
      CryptoUnit now = relistAfterFailure(e);
      if (UnitLifecycle.isClaimed(now.state())) {
        skipped(Step.CLAIM, "the unit is claimed already (state '" + now.rawState()
            + "'); the next signed call checks that it is claimed by this administrator");
        return now;
      }
      throw e;
    }
    changed = true;
    advance(UnitLifecycle.Change.CLAIM);
    succeeded(Step.CLAIM, "claimed with the administrator key");
    return null;
  }

  /** Moves the expected state on as the service does after {@code change}. */
  private void advance(UnitLifecycle.Change change) {
    UnitLifecycle.Transition t = UnitLifecycle.transition(lastState, change);
    if (t.allowed()) {
      lastState = t.to();
    }
  }

  private record LoadResult(boolean loaded, MasterKeyInfo info) {}

  /** Imports (or, on the one unit that gets it first, generates) the master key. */
  private Void loadMasterKey(Step step) {
    LoadResult result = ctx.retry().call(step, id, attempts,
        () -> session.with(s -> {
          CheckValue expected = ctx.expected();
          List<MasterKeyInfo> keys = s.listMasterKeys();
          if (expected == null && !keys.isEmpty()) {
            return new LoadResult(false, keys.get(0)); // an earlier attempt loaded it
          }
          Optional<MasterKeyInfo> same = keys.stream()
              .filter(k -> k.checkValue().equals(expected)).findFirst();
          if (same.isPresent()) {
            return new LoadResult(false, same.get());
          }
          if (!keys.isEmpty()) {
            throw new KeyMismatchException(id, expected, keys.get(0).checkValue());
          }
          MasterKeyInfo info = step == Step.GENERATE_MASTER_KEY
              ? s.generateMasterKey(ctx.key()) : s.importMasterKey(ctx.key());
          if (expected != null && !info.checkValue().equals(expected)) {
            throw new KeyMismatchException(id, expected, info.checkValue());
          }
          return new LoadResult(true, info);
        }));
    ctx.learn(result.info().checkValue());
    observed = result.info().checkValue();
    keysRead = List.of(result.info());
    advance(UnitLifecycle.Change.LOAD_MASTER_KEY);
    if (result.loaded()) {
      changed = true;
      loaded = true;
      succeeded(step, (step == Step.GENERATE_MASTER_KEY ? "generated" : "imported")
          + " master key '" + result.info().name() + "', check value "
          + result.info().checkValue());
    } else {
      skipped(step, "the unit already holds the master key (check value "
          + result.info().checkValue() + ")");
    }
    return null;
  }

  private Void addCryptoUser() {
    CryptoUserMetadata metadata = ctx.metadata(id, attempts);
    boolean added = ctx.retry().call(Step.ADD_CRYPTO_USER, id, attempts,
        () -> session.with(s -> {
          if (hasUser(s.listUsers(), metadata)) {
            return false;
          }
          try {
            s.addUser(metadata.toNewUser());
            return true;
          } catch (ServiceException e) {
            if (e.kind() == FailureKind.ALREADY_EXISTS && hasUser(s.listUsers(), metadata)) {
              return false;
            }
            throw e;
          }
        }));
    advance(UnitLifecycle.Change.ADD_CRYPTO_USER);
    if (added) {
      changed = true;
      succeeded(Step.ADD_CRYPTO_USER, "added the crypto user '" + metadata.userName() + "' ("
          + metadata.cxiGroup() + ")");
    } else {
      skipped(Step.ADD_CRYPTO_USER, "the crypto user '" + metadata.userName()
          + "' exists already");
    }
    return null;
  }

  private static boolean hasUser(List<CryptoUser> users, CryptoUserMetadata metadata) {
    return users.stream().anyMatch(u -> u.name().equals(metadata.userName()));
  }

  /** Checks the unit's key, as this round's load step read it, else by listing the keys. */
  private Void verify() {
    boolean fresh = keysRead == null;
    List<MasterKeyInfo> keys = fresh ? ctx.retry().call(Step.VERIFY, id, attempts,
        () -> session.with(HsmSession::listMasterKeys)) : keysRead;
    if (ctx.expected() == null && !keys.isEmpty()) {
      ctx.learn(keys.get(0).checkValue());
    }
    CheckValue expected = ctx.expected();
    if (expected == null) {
      throw new InitializationException("crypto unit " + id + " holds no master key although its"
          + " state says it should, and no check value is known to compare with", id,
          "Zeroize the unit and run again so that it gets the instance's master key.", false,
          null);
    }
    if (keys.stream().noneMatch(k -> k.checkValue().equals(expected))) {
      throw new KeyMismatchException(id, expected,
          keys.isEmpty() ? null : keys.get(0).checkValue());
    }
    observed = expected;
    succeeded(Step.VERIFY, "holds the master key, check value " + expected
        + (fresh ? "" : " (as read when loading it)"));
    return null;
  }

  // ---- unit state ----

  private CryptoUnit waitMaintenance() {
    WaitPolicy policy = ctx.maintenancePolicy();
    Instant now = ctx.clock().instant();
    if (maintenanceStart == null) {
      maintenanceStart = now;
    }
    Duration elapsed = Duration.between(maintenanceStart, now);
    Duration left = policy.timeout().minus(elapsed);
    return step(Step.WAIT_MAINTENANCE, () -> {
      if (left.isNegative() || left.isZero()) {
        throw new WaitTimeoutException("crypto unit " + id + " to leave maintenance", id, 0,
            elapsed, UnitState.MAINTENANCE.wireValue());
      }
      CryptoUnit after = ctx.waiter().await(Step.WAIT_MAINTENANCE, id,
          "crypto unit " + id + " to leave maintenance", policy.withTimeout(left), attempts,
          this::readUnit,
          u -> u.state() == UnitState.MAINTENANCE
              ? Waiter.Observation.notYet(u, u.rawState())
              : Waiter.Observation.done(u, u.rawState()));
      lastState = after.state();
      succeeded(Step.WAIT_MAINTENANCE, "the unit left maintenance, now '" + after.rawState()
          + "'");
      return after;
    });
  }

  private CryptoUnit readUnit() {
    for (CryptoUnit u : ctx.api().listUnits(ctx.target())) {
      if (u.id().equals(id)) {
        return u;
      }
    }
    throw new InitializationException("crypto unit " + id + " is no longer listed by instance "
        + ctx.target().instanceGuid(), id,
        "The unit may have been replaced; run again to work on the units the instance has now.",
        false, null);
  }

  private CryptoUnit relist() {
    CryptoUnit now = ctx.retry().call(Step.LIST_UNITS, id, attempts, this::readUnit);
    lastState = now.state();
    return now;
  }

  /** Re-reads the unit after {@code failure}; if that fails too, {@code failure} is thrown. */
  private CryptoUnit relistAfterFailure(KpDedicatedException failure) {
    try {
      return relist();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
      throw failure;
    }
  }
}
