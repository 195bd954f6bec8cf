package io.kpdedicated.testkit;

import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import java.util.Objects;
import java.util.Optional;

/**
 * The HSM side of an {@link InMemoryDedicatedCloud}'s units, for HSM models that are not the
 * cloud's own session protocol (such as the stand-in of IBM's native library): they read a unit and
 * change its master key and users on the very records the REST side serves, under the cloud's lock,
 * and the unit's state follows ({@code claimed} to {@code initialized} or {@code kms-authorized},
 * then {@code kms-initialized}). Changes are counted in {@link InMemoryDedicatedCloud#stats()} like
 * the session protocol's. These methods check no signature and apply no fault: the model calling
 * them does its own checks. Thread-safe.
 */
public final class HsmUnitAccess {
  /** What a change did. */
  public enum Outcome {
    /** The change was made. */
    DONE,
    /** The unit already was that way (the same key loaded): nothing changed. */
    UNCHANGED,
    /** The unit holds something else (a different master key, a user of that name). */
    CONFLICT,
    /** The unit has no administrator yet. */
    NOT_CLAIMED,
    /** There is no such active instance or unit. */
    NO_SUCH_UNIT,
    /** The unit is in maintenance or marked for deletion. */
    UNAVAILABLE
  }

  private final InMemoryDedicatedCloud cloud;

  private HsmUnitAccess(InMemoryDedicatedCloud cloud) {
    this.cloud = cloud;
  }

  /**
   * Returns the HSM side of a cloud.
   *
   * @param cloud the cloud
   * @return the access
   */
  public static HsmUnitAccess of(InMemoryDedicatedCloud cloud) {
    return new HsmUnitAccess(Objects.requireNonNull(cloud, "cloud"));
  }

  /** {@return the cloud whose units this access reads and changes} */
  public InMemoryDedicatedCloud cloud() {
    return cloud;
  }

  /**
   * Returns one unit as it is now.
   *
   * @param guid the instance GUID
   * @param unitId the unit id
   * @return the unit, or empty when there is no such instance or unit
   */
  public Optional<UnitSnapshot> unit(String guid, String unitId) {
    synchronized (cloud.lock()) {
      UnitRecord u = record(guid, unitId);
      if (u == null) {
        return Optional.empty();
      }
      UnitState reported = u.heldInMaintenance ? UnitState.MAINTENANCE : u.state;
      return Optional.of(new UnitSnapshot(u.id, u.index, reported, u.admin, u.masterKey,
          java.util.List.copyOf(u.users.values())));
    }
  }

  /**
   * Loads a master key into a unit, as an import rebuilt from key shares does: the unit computes
   * the key's check value and keeps it with the name. Loading the key the unit holds changes
   * nothing; a different key is a conflict.
   *
   * @param guid the instance GUID
   * @param unitId the unit id
   * @param keyName the key name, 1 to 8 characters
   * @param key the AES-256 key (32 bytes); not kept
   * @return what happened
   * @throws IllegalArgumentException if the key is not 32 bytes or the name is not 1 to 8
   *     characters
   */
  public Outcome loadMasterKey(String guid, String unitId, String keyName, byte[] key) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(keyName, "keyName");
    if (key.length != 32) {
      throw new IllegalArgumentException("the master key must have 32 bytes, got " + key.length);
    }
    if (keyName.isBlank() || keyName.length() > 8) {
      throw new IllegalArgumentException("the master key name must have 1 to 8 characters");
    }
    CheckValue kcv = PortableHsmBackend.checkValueOf(UnitCrypto.checkValue(key));
    synchronized (cloud.lock()) {
      UnitRecord u = record(guid, unitId);
      Outcome refused = refused(u);
      if (refused != null) {
        return refused;
      }
      if (u.masterKey != null) {
        return u.masterKey.checkValue().equals(kcv) ? Outcome.UNCHANGED : Outcome.CONFLICT;
      }
      u.masterKey = new MasterKeyInfo(keyName, kcv);
      u.setState(u.derivedState());
      cloud.stats().recordChange(Operation.IMPORT_MASTER_KEY, unitId);
      return Outcome.DONE;
    }
  }

  /**
   * Adds a user to a unit.
   *
   * @param guid the instance GUID
   * @param unitId the unit id
   * @param user the user
   * @return {@link Outcome#CONFLICT} when a user of that name exists, else what happened
   */
  public Outcome addUser(String guid, String unitId, CryptoUser user) {
    Objects.requireNonNull(user, "user");
    synchronized (cloud.lock()) {
      UnitRecord u = record(guid, unitId);
      Outcome refused = refused(u);
      if (refused != null) {
        return refused;
      }
      if (u.users.containsKey(user.name())) {
        return Outcome.CONFLICT;
      }
      u.users.put(user.name(), user);
      u.setState(u.derivedState());
      cloud.stats().recordChange(Operation.ADD_USER, unitId);
      return Outcome.DONE;
    }
  }

  /**
   * Counts a call made through the HSM model in {@link InMemoryDedicatedCloud#stats()}.
   *
   * @param operation the equivalent operation
   * @param unitId the unit, or null
   */
  public void recordCall(Operation operation, String unitId) {
    Objects.requireNonNull(operation, "operation");
    cloud.stats().recordCall(operation, unitId);
  }

  private static Outcome refused(UnitRecord u) {
    if (u == null) {
      return Outcome.NO_SUCH_UNIT;
    }
    if (u.heldInMaintenance || u.state == UnitState.MAINTENANCE
        || u.state == UnitState.MARKED_FOR_DEL) {
      return Outcome.UNAVAILABLE;
    }
    if (u.admin == null) {
      return Outcome.NOT_CLAIMED;
    }
    return null;
  }

  private UnitRecord record(String guid, String unitId) {
    if (guid == null || unitId == null) {
      return null;
    }
    InstanceRecord instance;
    try {
      instance = cloud.instanceRecord(guid);
    } catch (java.util.NoSuchElementException e) {
      return null;
    }
    for (UnitRecord u : instance.units) {
      if (u.id.equals(unitId)) {
        return u;
      }
    }
    return null;
  }
}
