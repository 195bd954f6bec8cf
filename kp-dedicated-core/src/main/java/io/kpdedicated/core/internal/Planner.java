package io.kpdedicated.core.internal;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationPlan;
import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.InitializationPlan.InstanceAction;
import io.kpdedicated.core.InitializationPlan.UnitPlan;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.ProvisioningApi;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes what a run would do without changing anything: reads the instance and its units (with
 * retries), looks at which local files exist, and applies the same decision table as the run.
 * One per call.
 */
public final class Planner {
  private final InitializerSettings settings;

  /**
   * Creates a planner.
   *
   * @param settings the settings
   */
  public Planner(InitializerSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Plans.
   *
   * @return the plan
   */
  public InitializationPlan plan() {
    Events events = new Events(settings.listener());
    RetryExecutor retry = RetryExecutor.forSettings(settings, events);
    AtomicInteger calls = new AtomicInteger();
    List<String> problems = new ArrayList<>();
    List<Step> instanceSteps = new ArrayList<>(List.of(Step.ADMIN_IDENTITY, Step.KEYSHARES));

    IdentityAction identity = PreparedIdentity.plannedAction(settings.adminIdentity());
    if (settings.adminIdentity() instanceof io.kpdedicated.core.AdminIdentitySource.Load l
        && !Files.exists(l.file())) {
      problems.add("the administrator identity file " + l.file() + " does not exist");
    }
    KeyMaterial.Planned keys = KeyMaterial.plannedAction(settings.masterKey());
    if (!keys.problem().isEmpty()) {
      problems.add(keys.problem());
    }

    ProvisioningApi provisioning = settings.transport().provisioning();
    InstanceSelector selector = settings.instance();
    ServiceInstance instance = null;
    InstanceAction action;
    ResolvedInstance resolved = null;
    if (selector instanceof InstanceSelector.Target t) {
      action = InstanceAction.USE_TARGET;
      resolved = new ResolvedInstance(null, t.target());
    } else {
      if (selector instanceof InstanceSelector.CreateOrReuse c) {
        Optional<ServiceInstance> found = retry.call(Step.PROVISION, null, calls,
            () -> provisioning.findInstanceByName(c.request().name()));
        instance = found.orElse(null);
        if (instance == null) {
          instanceSteps.add(Step.PROVISION);
          instanceSteps.add(Step.WAIT_ACTIVE);
          instanceSteps.add(Step.RESOLVE_ENDPOINT);
          instanceSteps.add(Step.LIST_UNITS);
          return new InitializationPlan(InstanceAction.CREATE, null, instanceSteps, identity,
              keys.action(), false, List.of(), problems);
        }
        try {
          InstanceResolver.checkMatches(instance, c.request());
        } catch (KpDedicatedException e) {
          problems.add(e.getMessage());
          return blocked(instance, instanceSteps, identity, keys, problems);
        }
      } else {
        String id = ((InstanceSelector.Existing) selector).instanceIdOrGuid();
        instance = retry.call(Step.PROVISION, null, calls, () -> provisioning.getInstance(id));
      }
      action = InstanceAction.REUSE;
      try {
        InstanceResolver.classify(instance);
      } catch (KpDedicatedException e) {
        problems.add(e.getMessage());
        return blocked(instance, instanceSteps, identity, keys, problems);
      }
      if (instance.state() != InstanceState.ACTIVE) {
        instanceSteps.add(Step.WAIT_ACTIVE);
        instanceSteps.add(Step.RESOLVE_ENDPOINT);
        instanceSteps.add(Step.LIST_UNITS);
        return new InitializationPlan(action, instance, instanceSteps, identity, keys.action(),
            false, List.of(), problems);
      }
      instanceSteps.add(Step.RESOLVE_ENDPOINT);
      try {
        resolved = InstanceResolver.endpointOf(instance, settings.allowPrivateEndpoint());
      } catch (KpDedicatedException e) {
        problems.add(e.getMessage());
        instanceSteps.add(Step.LIST_UNITS);
        return new InitializationPlan(action, instance, instanceSteps, identity, keys.action(),
            false, List.of(), problems);
      }
    }
    instanceSteps.add(Step.LIST_UNITS);
    ResolvedInstance target = resolved;
    List<CryptoUnit> units = retry.call(Step.LIST_UNITS, null, calls,
        () -> settings.transport().cryptoUnits().listUnits(target.target()));
    try {
      Reconciler.checkTargets(units, settings.targetUnits());
    } catch (KpDedicatedException e) {
      problems.add(e.getMessage());
    }
    return new InitializationPlan(action, instance, instanceSteps, identity, keys.action(), true,
        unitPlans(units, settings.targetUnits()), problems);
  }

  private static InitializationPlan blocked(ServiceInstance instance, List<Step> instanceSteps,
      IdentityAction identity, KeyMaterial.Planned keys, List<String> problems) {
    return new InitializationPlan(InstanceAction.BLOCKED, instance, instanceSteps, identity,
        keys.action(), false, List.of(), problems);
  }

  /**
   * Plans every unit by the decision table.
   *
   * @param units the units as listed
   * @param targets the targeted ids, or {@code null} for all
   * @return one plan per unit
   */
  static List<UnitPlan> unitPlans(List<CryptoUnit> units, Set<String> targets) {
    List<UnitPlan> plans = new ArrayList<>();
    for (CryptoUnit unit : units) {
      boolean targeted = targets == null || targets.contains(unit.id());
      if (!targeted) {
        plans.add(new UnitPlan(unit.id(), unit.state(), unit.rawState(), false, List.of(),
            "not targeted: left alone"));
        continue;
      }
      io.kpdedicated.core.UnitLifecycle.Decision d = io.kpdedicated.core.UnitLifecycle.decide(unit.state(), unit.rawState());
      plans.add(new UnitPlan(unit.id(), unit.state(), unit.rawState(), true, d.steps(),
          d.reason()));
    }
    return plans;
  }
}
