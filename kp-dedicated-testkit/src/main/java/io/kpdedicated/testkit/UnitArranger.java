package io.kpdedicated.testkit;

import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.crypto.KeyCheckValue;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.Objects;

/**
 * Puts one crypto unit of an {@link InMemoryDedicatedCloud} into any state, without calls and
 * without counting. The content methods ({@link #claimedBy}, {@link #withMasterKey},
 * {@link #withCryptoUser}) set the state the service would report for that content; {@link #state}
 * forces a reported state regardless. Thread-safe.
 */
public final class UnitArranger {
  private final InMemoryDedicatedCloud cloud;
  private final InstanceArranger instance;
  private final UnitRecord unit;

  UnitArranger(InMemoryDedicatedCloud cloud, InstanceArranger instance,
      UnitRecord unit) {
    this.cloud = cloud;
    this.instance = instance;
    this.unit = unit;
  }

  /** {@return the unit's id} */
  public String id() {
    return unit.id;
  }

  /**
   * Installs an administrator key, as a claim would.
   *
   * @param admin the administrator's public key
   * @return this arranger
   */
  public UnitArranger claimedBy(RSAPublicKey admin) {
    Objects.requireNonNull(admin, "admin");
    synchronized (cloud.lock()) {
      unit.admin = admin;
      unit.users.put(InMemoryDedicatedCloud.ADMIN_USER_NAME,
          new CryptoUser(InMemoryDedicatedCloud.ADMIN_USER_NAME, UserType.ADMIN, Map.of()));
      unit.heldInMaintenance = false;
      unit.setState(unit.derivedState());
    }
    return this;
  }

  /**
   * Loads a master key, as an import would (the unit keeps name and check value only).
   *
   * @param name the key name, 1 to 8 characters
   * @param keyBytes the AES-256 key (not kept; the caller may wipe it)
   * @return this arranger
   */
  public UnitArranger withMasterKey(String name, byte[] keyBytes) {
    Objects.requireNonNull(keyBytes, "keyBytes");
    if (keyBytes.length != 32) {
      throw new IllegalArgumentException("keyBytes must be 32 bytes, got " + keyBytes.length);
    }
    return withMasterKey(name, UnitCrypto.checkValue(keyBytes));
  }

  /**
   * Loads a master key known only by its check value.
   *
   * @param name the key name, 1 to 8 characters
   * @param checkValue its check value
   * @return this arranger
   */
  public UnitArranger withMasterKey(String name, KeyCheckValue checkValue) {
    return withMasterKey(name, PortableHsmBackend.checkValueOf(checkValue));
  }

  /**
   * Loads a master key known only by its check value, in the portable backend's text.
   *
   * @param name the key name, 1 to 8 characters
   * @param checkValue its check value
   * @return this arranger
   */
  public UnitArranger withMasterKey(String name, CheckValue checkValue) {
    MasterKeyInfo info = new MasterKeyInfo(name, checkValue);
    if (name.length() > 8) {
      throw new IllegalArgumentException("key name must have at most 8 characters");
    }
    synchronized (cloud.lock()) {
      unit.masterKey = info;
      unit.heldInMaintenance = false;
      unit.setState(unit.derivedState());
    }
    return this;
  }

  /**
   * Adds the {@code kmsCryptoUser} of the cloud's crypto-user metadata, as an add-user call would.
   *
   * @return this arranger
   */
  public UnitArranger withCryptoUser() {
    var metadata = cloud.metadata();
    return withUser(new CryptoUser(metadata.userName(), UserType.KMS_CRYPTO_USER,
        Map.of(io.kpdedicated.core.model.NewUser.CXI_GROUP, metadata.cxiGroup())));
  }

  /**
   * Adds a user.
   *
   * @param user the user
   * @return this arranger
   */
  public UnitArranger withUser(CryptoUser user) {
    Objects.requireNonNull(user, "user");
    synchronized (cloud.lock()) {
      unit.users.put(user.name(), user);
      unit.heldInMaintenance = false;
      unit.setState(unit.derivedState());
    }
    return this;
  }

  /**
   * Wipes the unit back to {@code reserved}, as a zeroize would; its open HSM sessions end.
   *
   * @return this arranger
   */
  public UnitArranger zeroized() {
    synchronized (cloud.lock()) {
      unit.wipe();
      unit.heldInMaintenance = false;
      cloud.endSessions(instance.guid(), unit.id);
    }
    return this;
  }

  /**
   * Forces the state the unit reports. {@code MAINTENANCE} keeps the content and makes every call
   * on the unit fail with a retryable 503 until another state is set (see also
   * {@link #maintenanceFor(int)}); {@code MARKED_FOR_DEL} makes its calls fail with 409.
   *
   * @param state the state
   * @return this arranger
   */
  public UnitArranger state(UnitState state) {
    Objects.requireNonNull(state, "state");
    if (state == UnitState.UNKNOWN) {
      throw new IllegalArgumentException("UNKNOWN has no wire value; pick a real state");
    }
    synchronized (cloud.lock()) {
      if (state == UnitState.MAINTENANCE) {
        unit.heldInMaintenance = true;
      } else {
        unit.heldInMaintenance = false;
        unit.setState(state);
      }
    }
    return this;
  }

  /**
   * Makes unit listings report a state text this SDK may not know (for example {@code degraded}),
   * as a newer service might; the unit's content and behaviour stay as they are until a call or an
   * arrangement changes its state.
   *
   * @param wireState the text to report, not blank
   * @return this arranger
   */
  public UnitArranger reportedState(String wireState) {
    Objects.requireNonNull(wireState, "wireState");
    if (wireState.isBlank()) {
      throw new IllegalArgumentException("wireState must not be blank");
    }
    synchronized (cloud.lock()) {
      unit.rawStateOverride = wireState;
    }
    return this;
  }

  /**
   * Puts the unit in maintenance for its next {@code calls} calls (listings included), after
   * which it reports its real state again.
   *
   * @param calls 1 or more
   * @return this arranger
   */
  public UnitArranger maintenanceFor(int calls) {
    cloud.faults().maintenance(UnitRef.id(unit.id), calls);
    return this;
  }

  /**
   * Returns to the instance, to arrange another unit.
   *
   * @return the instance arranger
   */
  public InstanceArranger and() {
    return instance;
  }
}
