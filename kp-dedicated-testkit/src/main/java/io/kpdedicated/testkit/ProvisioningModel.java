package io.kpdedicated.testkit;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.Operation;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * The Resource Controller side of the in-memory cloud: instances that provision asynchronously
 * (after a number of reads or an amount of time) and are found by CRN, GUID or name.
 */
final class ProvisioningModel {
  private final CloudState state;
  private final FaultGate gate;

  ProvisioningModel(CloudState state, FaultGate gate) {
    this.state = state;
    this.gate = gate;
  }

  ServiceInstance createInstance(InstanceRequest request) {
    Objects.requireNonNull(request, "request");
    FaultGate.Admitted call = gate.begin(Operation.CREATE_INSTANCE, null, null);
    synchronized (state.lock) {
      if (!state.settings.regions().contains(request.region())) {
        throw state.error(Operation.CREATE_INSTANCE, null, 400, "INVALID_REGION",
            "region '" + request.region() + "' does not offer Key Protect Dedicated; use one of "
                + state.settings.regions());
      }
      ServiceInstance answer = add(request, state.settings.activeAtOnce());
      state.stats.recordChange(Operation.CREATE_INSTANCE, null);
      call.finish();
      return answer;
    }
  }

  Optional<ServiceInstance> findInstanceByName(String name) {
    Objects.requireNonNull(name, "name");
    FaultGate.Admitted call = gate.begin(Operation.FIND_INSTANCE, null, null);
    synchronized (state.lock) {
      List<InstanceRecord> found = new ArrayList<>();
      for (InstanceRecord i : state.instances) {
        if (i.name.equals(name) && i.state != InstanceState.REMOVED) {
          found.add(i);
        }
      }
      if (found.size() > 1) {
        throw state.error(Operation.FIND_INSTANCE, null, 409, "AMBIGUOUS_INSTANCE_NAME",
            found.size() + " instances are named '" + name + "': "
                + found.stream().map(i -> i.crn).toList()
                + "; select one by id or delete the extra ones");
      }
      Optional<ServiceInstance> answer =
          found.isEmpty() ? Optional.empty() : Optional.of(describe(found.get(0)));
      call.finish();
      return answer;
    }
  }

  ServiceInstance getInstance(String idOrGuid) {
    Objects.requireNonNull(idOrGuid, "idOrGuid");
    FaultGate.Admitted call = gate.begin(Operation.GET_INSTANCE, null, null);
    synchronized (state.lock) {
      InstanceRecord instance = state.findInstance(idOrGuid);
      if (instance == null) {
        throw state.error(Operation.GET_INSTANCE, null, 404, "INSTANCE_NOT_FOUND",
            "no instance with id or GUID '" + idOrGuid + "'");
      }
      instance.polls++;
      ServiceInstance answer = describe(instance);
      call.finish();
      return answer;
    }
  }

  /** Adds an instance without a call (for arrangers and {@link #createInstance}). */
  ServiceInstance add(InstanceRequest request, boolean active) {
    synchronized (state.lock) {
      String guid = state.newUuid();
      int count = state.settings.unitsPerInstance() > 0
          ? state.settings.unitsPerInstance() : request.cryptoUnits();
      InstanceRecord instance = new InstanceRecord(guid,
          "crn:v1:bluemix:public:kms:" + request.region() + ":a/" + state.settings.accountId()
              + ":" + guid + "::",
          request.name(), request.region(), state.settings.clock().instant());
      for (int i = 0; i < count; i++) {
        instance.units.add(new UnitRecord(state.newUuid(), i));
      }
      if (active) {
        instance.state = InstanceState.ACTIVE;
      }
      state.instances.add(instance);
      return describe(instance);
    }
  }

  /** The instance with this GUID or CRN; the caller holds the lock. */
  InstanceRecord record(String guid) {
    InstanceRecord instance = state.findInstance(guid);
    if (instance == null) {
      throw new NoSuchElementException("no instance " + guid);
    }
    return instance;
  }

  /** The instance with this GUID that must be active, or the service's 404/409. */
  InstanceRecord activeInstance(Operation op, String guid, String unitId) {
    InstanceRecord instance = guid == null ? null : state.findInstance(guid);
    if (instance == null) {
      throw state.error(op, unitId, 404, "INSTANCE_NOT_FOUND",
          "no instance with GUID '" + guid + "'");
    }
    refreshState(instance);
    if (instance.state != InstanceState.ACTIVE) {
      throw state.error(op, unitId, 409, "INSTANCE_NOT_ACTIVE",
          "instance " + guid + " is " + instance.state.name().toLowerCase(Locale.ROOT)
              + ", not active; wait until it is active");
    }
    return instance;
  }

  private void refreshState(InstanceRecord instance) {
    if (instance.state != InstanceState.PROVISIONING) {
      return;
    }
    CloudSettings s = state.settings;
    boolean done = s.provisioningTime() != null
        ? !s.clock().instant().isBefore(instance.createdAt.plus(s.provisioningTime()))
        : instance.polls >= s.provisioningPolls();
    if (done) {
      instance.state = InstanceState.ACTIVE;
    }
  }

  /** What the Resource Controller reports for an instance now; the caller holds the lock. */
  ServiceInstance describe(InstanceRecord i) {
    refreshState(i);
    boolean active = i.state == InstanceState.ACTIVE;
    URI publicEndpoint = active
        ? URI.create("https://" + i.guid + ".api." + i.region + ".kms.appdomain.cloud") : null;
    URI privateEndpoint = active
        ? URI.create("https://" + i.guid + ".api.private." + i.region + ".kms.appdomain.cloud")
        : null;
    String lastOperation = switch (i.state) {
      case PROVISIONING -> "create in progress";
      case ACTIVE -> "create succeeded";
      case FAILED -> "create failed";
      default -> i.state.name().toLowerCase(Locale.ROOT);
    };
    return new ServiceInstance(i.crn, i.guid, i.crn, i.name, i.state,
        i.state.wireValue() == null ? "" : i.state.wireValue(), i.region, publicEndpoint,
        privateEndpoint, i.units.size(), lastOperation);
  }
}
