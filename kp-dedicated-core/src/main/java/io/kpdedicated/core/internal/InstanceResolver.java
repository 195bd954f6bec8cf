package io.kpdedicated.core.internal;

import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationPlan.InstanceAction;
import io.kpdedicated.core.InstanceFailedException;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.ProvisioningApi;
import io.kpdedicated.core.spi.Remediations;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds or creates the instance, waits until it is active and resolves its endpoint. Stateless
 * apart from its collaborators; one per run.
 */
final class InstanceResolver {
  private final ProvisioningApi provisioning;
  private final RetryExecutor retry;
  private final Waiter waiter;
  private final WaitPolicy waitPolicy;
  private final boolean allowPrivateEndpoint;
  private final StepRunner steps;
  private final boolean dryRun;
  private final AtomicInteger attempts = new AtomicInteger();
  private InstanceAction action;
  private ServiceInstance instance;

  /**
   * Creates a resolver.
   *
   * @param provisioning the Resource Controller side of the transport
   * @param retry runs calls with retries
   * @param waiter polls for active
   * @param waitPolicy how long to wait for active
   * @param allowPrivateEndpoint whether a private-only endpoint is acceptable
   * @param steps publishes step events
   * @param dryRun whether this is a plan: it neither creates nor waits, and says what it would do
   */
  public InstanceResolver(ProvisioningApi provisioning, RetryExecutor retry, Waiter waiter,
      WaitPolicy waitPolicy, boolean allowPrivateEndpoint, StepRunner steps, boolean dryRun) {
    this.provisioning = Objects.requireNonNull(provisioning, "provisioning");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.waiter = Objects.requireNonNull(waiter, "waiter");
    this.waitPolicy = Objects.requireNonNull(waitPolicy, "waitPolicy");
    this.allowPrivateEndpoint = allowPrivateEndpoint;
    this.steps = Objects.requireNonNull(steps, "steps");
    this.dryRun = dryRun;
  }

  /** Returns what was (or, in a plan, would be) done with the instance, or null before resolve. */
  InstanceAction action() {
    return action;
  }

  /** Returns the instance as last read, or null. */
  ServiceInstance instance() {
    return instance;
  }

  /**
   * Finds or creates the instance, waits for it and resolves its endpoint.
   *
   * @param selector which instance
   * @return the instance and its target, or {@code null} in a plan when the instance does not
   *     exist or is not active yet (its units cannot be known)
   */
  public ResolvedInstance resolve(InstanceSelector selector) {
    if (selector instanceof InstanceSelector.Target t) {
      action = InstanceAction.USE_TARGET;
      steps.publish(new InitializationEvent.StepSkipped(Step.PROVISION, null,
          "the endpoint " + t.target().endpoint() + " was given"));
      return new ResolvedInstance(null, t.target());
    }
    action = InstanceAction.REUSE;
    if (selector instanceof InstanceSelector.CreateOrReuse c) {
      instance = steps.run(Step.PROVISION, null, () -> findOrCreate(c.request(), c.anyUnitCount()),
          r -> r.detail).instance;
    } else {
      String id = ((InstanceSelector.Existing) selector).instanceIdOrGuid();
      instance = steps.run(Step.PROVISION, null,
          () -> retry.call(Step.PROVISION, null, attempts, () -> provisioning.getInstance(id)),
          i -> "using existing instance '" + i.name() + "' (" + i.id() + ")");
    }
    if (instance == null || (dryRun && instance.state() != InstanceState.ACTIVE)) {
      if (instance != null) {
        classify(instance); // a terminal state fails a plan as it fails a run
      }
      steps.run(Step.WAIT_ACTIVE, null, () -> "", x -> "would wait until the instance is active");
      steps.run(Step.RESOLVE_ENDPOINT, null, () -> "", x -> "would read the instance's endpoint");
      return null;
    }
    ServiceInstance active = waitActive(instance);
    instance = active;
    return steps.run(Step.RESOLVE_ENDPOINT, null, () -> endpointOf(active),
        r -> "crypto units at " + r.target().endpoint() + ", instance GUID "
            + r.target().instanceGuid());
  }

  private static final class Found {
    final ServiceInstance instance;
    final String detail;

    Found(ServiceInstance instance, String detail) {
      this.instance = instance;
      this.detail = detail;
    }
  }

  private Found findOrCreate(InstanceRequest request, boolean anyUnitCount) {
    Optional<ServiceInstance> found = retry.call(Step.PROVISION, null, attempts,
        () -> provisioning.findInstanceByName(request.name()));
    if (found.isPresent()) {
      checkMatches(found.get(), request, anyUnitCount);
      return new Found(found.get(), "reusing instance '" + request.name() + "' ("
          + found.get().id() + "), state " + found.get().rawState()
          + (found.get().cryptoUnits() > 0 ? ", " + found.get().cryptoUnits() + " crypto units"
              : ""));
    }
    if (dryRun) {
      action = InstanceAction.CREATE;
      return new Found(null, "would create instance '" + request.name() + "' with "
          + request.cryptoUnits() + " crypto units in " + request.region());
    }
    AtomicBoolean first = new AtomicBoolean(true);
    ServiceInstance created = retry.call(Step.PROVISION, null, attempts, () -> {
      if (!first.getAndSet(false)) {
        // A failed create may still have created it: look before creating a second one.
        Optional<ServiceInstance> again = provisioning.findInstanceByName(request.name());
        if (again.isPresent()) {
          return again.get();
        }
      }
      return provisioning.createInstance(request);
    });
    checkMatches(created, request, false);
    return new Found(created, "created instance '" + request.name() + "' (" + created.id()
        + ") with " + request.cryptoUnits() + " crypto units in " + request.region());
  }

  /**
   * Checks that an instance found by name is what the request asks for, unit count included.
   *
   * @param instance the instance
   * @param request the request
   * @throws InitializationException if the unit count or region differ
   */
  static void checkMatches(ServiceInstance instance, InstanceRequest request) {
    checkMatches(instance, request, false);
  }

  /**
   * Checks that an instance found by name is what the request asks for.
   *
   * @param instance the instance
   * @param request the request
   * @param anyUnitCount whether any unit count is accepted
   * @throws InitializationException if the region differs, or the unit count unless
   *     {@code anyUnitCount}
   */
  static void checkMatches(ServiceInstance instance, InstanceRequest request,
      boolean anyUnitCount) {
    if (!anyUnitCount && instance.cryptoUnits() > 0
        && instance.cryptoUnits() != request.cryptoUnits()) {
      throw new InitializationException("instance '" + request.name() + "' (" + instance.id()
          + ") exists with " + instance.cryptoUnits() + " crypto units, but "
          + request.cryptoUnits() + " were requested; the count can never change after creation",
          "Request " + instance.cryptoUnits() + " crypto units to use this instance, or choose"
              + " another instance name.");
    }
    if (instance.region() != null && !instance.region().isBlank()
        && !instance.region().trim().equalsIgnoreCase(request.region().trim())) {
      throw new InitializationException("instance '" + request.name() + "' (" + instance.id()
          + ") exists in region " + instance.region() + ", but region " + request.region()
          + " was requested",
          "Request region " + instance.region() + " to use this instance, or choose another"
              + " instance name.");
    }
  }

  private ServiceInstance waitActive(ServiceInstance instance) {
    if (instance.state() == InstanceState.ACTIVE) {
      steps.publish(new InitializationEvent.StepSkipped(Step.WAIT_ACTIVE, null,
          "the instance is active"));
      return instance;
    }
    classify(instance); // fail at once for a terminal state
    return steps.run(Step.WAIT_ACTIVE, null,
        () -> waiter.await(Step.WAIT_ACTIVE, null,
            "instance '" + instance.name() + "' (" + instance.id() + ") to become active",
            waitPolicy, attempts, () -> provisioning.getInstance(instance.id()),
            InstanceResolver::classify),
        i -> "the instance is active");
  }

  /**
   * Classifies an instance state for the wait: active is done; failed, removed, pending
   * reclamation and inactive are terminal (thrown); anything else is not yet.
   *
   * @param instance the instance as read
   * @return the observation
   * @throws InstanceFailedException for a terminal state
   */
  static Waiter.Observation<ServiceInstance> classify(ServiceInstance instance) {
    switch (instance.state()) {
      case ACTIVE:
        return Waiter.Observation.done(instance, instance.rawState());
      case FAILED:
      case REMOVED:
      case PENDING_RECLAMATION:
      case INACTIVE:
        throw new InstanceFailedException(instance.id(), instance.state(), instance.rawState(),
            instance.lastOperation());
      default:
        return Waiter.Observation.notYet(instance, instance.rawState());
    }
  }

  /**
   * Resolves the crypto-unit endpoint of an active instance.
   *
   * @param instance the instance
   * @param allowPrivate whether a private-only endpoint is acceptable
   * @return the target
   * @throws InitializationException if only a private endpoint (not allowed) or none is known
   */
  static ResolvedInstance endpointOf(ServiceInstance instance, boolean allowPrivate) {
    if (instance.publicEndpoint() != null) {
      return new ResolvedInstance(instance, instance.publicTarget().orElseThrow());
    }
    if (instance.privateEndpoint() != null) {
      if (allowPrivate) {
        return new ResolvedInstance(instance,
            new InstanceTarget(instance.privateEndpoint(),
                instance.guid()));
      }
      throw new InitializationException("instance '" + instance.name() + "' (" + instance.id()
          + ") reports only a private endpoint (" + instance.privateEndpoint() + ")",
          Remediations.PRIVATE_ENDPOINT_TIMEOUT + " If this program runs inside IBM Cloud's"
              + " private network, allow it with allowPrivateEndpoint(true).");
    }
    throw new InitializationException("instance '" + instance.name() + "' (" + instance.id()
        + ") is active but reports no crypto-unit endpoint", null,
        "The endpoint usually appears shortly after activation; run again in a minute. If it"
            + " does not, give the endpoint and GUID directly with InstanceSelector.target(...).",
        true, null);
  }

  private ResolvedInstance endpointOf(ServiceInstance instance) {
    return endpointOf(instance, allowPrivateEndpoint);
  }

  /** Returns how many calls were made for the instance. */
  public int attempts() {
    return attempts.get();
  }
}
