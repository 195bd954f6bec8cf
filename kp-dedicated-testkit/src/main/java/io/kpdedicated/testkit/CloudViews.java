package io.kpdedicated.testkit;

import io.kpdedicated.core.model.UnitState;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The test side of the in-memory cloud: snapshots of what instances and units hold, and lookups for
 * the arrangers that set state up directly (no call, no count, no fault).
 */
final class CloudViews {
  private final CloudState state;
  private final ProvisioningModel provisioning;

  CloudViews(CloudState state, ProvisioningModel provisioning) {
    this.state = state;
    this.provisioning = provisioning;
  }

  CloudSnapshot snapshot() {
    synchronized (state.lock) {
      List<InstanceSnapshot> out = new ArrayList<>();
      for (InstanceRecord i : state.instances) {
        out.add(snapshotOf(i));
      }
      return new CloudSnapshot(out);
    }
  }

  /** The GUID of the instance with this CRN, GUID or name (the last one of that name). */
  String guidOf(String idGuidOrName) {
    synchronized (state.lock) {
      InstanceRecord instance = state.findInstance(idGuidOrName);
      if (instance == null) {
        for (InstanceRecord i : state.instances) {
          if (i.name.equals(idGuidOrName)) {
            instance = i;
          }
        }
      }
      if (instance == null) {
        throw new NoSuchElementException("no instance " + idGuidOrName);
      }
      return instance.guid;
    }
  }

  private InstanceSnapshot snapshotOf(InstanceRecord i) {
    List<UnitSnapshot> units = new ArrayList<>();
    for (UnitRecord u : i.units) {
      UnitState reported = u.heldInMaintenance ? UnitState.MAINTENANCE
          : u.rawStateOverride != null ? UnitState.fromWire(u.rawStateOverride) : u.state;
      units.add(new UnitSnapshot(u.id, u.index, reported, u.admin, u.masterKey,
          List.copyOf(u.users.values())));
    }
    return new InstanceSnapshot(provisioning.describe(i), units);
  }
}
