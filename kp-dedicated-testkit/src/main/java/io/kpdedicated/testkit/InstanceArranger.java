package io.kpdedicated.testkit;

import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.ServiceInstance;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Puts one instance of an {@link InMemoryDedicatedCloud}, and its units, into any state, without
 * calls and without counting. Thread-safe.
 *
 * <pre>{@code
 * cloud.arrange(guid).unit(0).claimedBy(admin.publicKey()).withMasterKey("mk", keyBytes).withCryptoUser();
 * cloud.arrange(guid).unit(1).claimedBy(admin.publicKey()).withMasterKey("mk", otherCheckValue);
 * cloud.arrange(guid).unit(2).state(UnitState.MAINTENANCE);
 * }</pre>
 */
public final class InstanceArranger {
  private final InMemoryDedicatedCloud cloud;
  private final String guid;

  InstanceArranger(InMemoryDedicatedCloud cloud, String guid) {
    this.cloud = cloud;
    this.guid = guid;
  }

  /** {@return the instance's GUID} */
  public String guid() {
    return guid;
  }

  /** {@return the instance as the Resource Controller reports it now (no call, not counted)} */
  public ServiceInstance instance() {
    return cloud.describeInstance(guid);
  }

  /**
   * Forces the instance's state, for example {@code FAILED} or {@code REMOVED}.
   *
   * @param state the state
   * @return this arranger
   */
  public InstanceArranger state(InstanceState state) {
    Objects.requireNonNull(state, "state");
    synchronized (cloud.lock()) {
      cloud.instanceRecord(guid).state = state;
    }
    return this;
  }

  /**
   * Selects the unit at a 0-based position.
   *
   * @param index the position
   * @return an arranger for that unit
   * @throws IndexOutOfBoundsException if the instance has fewer units
   */
  public UnitArranger unit(int index) {
    synchronized (cloud.lock()) {
      InstanceRecord instance = cloud.instanceRecord(guid);
      return new UnitArranger(cloud, this, instance.units.get(index));
    }
  }

  /**
   * Selects a unit by id.
   *
   * @param unitId the unit id
   * @return an arranger for that unit
   * @throws NoSuchElementException if the instance has no such unit
   */
  public UnitArranger unit(String unitId) {
    Objects.requireNonNull(unitId, "unitId");
    synchronized (cloud.lock()) {
      for (UnitRecord u : cloud.instanceRecord(guid).units) {
        if (u.id.equals(unitId)) {
          return new UnitArranger(cloud, this, u);
        }
      }
    }
    throw new NoSuchElementException("instance " + guid + " has no unit " + unitId);
  }
}
