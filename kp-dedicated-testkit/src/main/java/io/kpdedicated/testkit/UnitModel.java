package io.kpdedicated.testkit;

import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.http.HttpServiceException;
import io.kpdedicated.http.SignedCommand;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The crypto-unit side of the in-memory cloud: units that move through the service's states as
 * {@link UnitLifecycle} says, claimed by an administrator, holding users and one master key that
 * arrives wrapped to the unit's RSA import key. Every call passes the {@link FaultGate} first;
 * session commands pass the {@link SignatureCheck}.
 */
final class UnitModel {
  private final CloudState state;
  private final FaultGate gate;
  private final ProvisioningModel provisioning;
  private final SignatureCheck signatures;
  private final FixedCryptoUser cryptoUser;

  UnitModel(CloudState state, FaultGate gate, ProvisioningModel provisioning,
      SignatureCheck signatures, FixedCryptoUser cryptoUser) {
    this.state = state;
    this.gate = gate;
    this.provisioning = provisioning;
    this.signatures = signatures;
    this.cryptoUser = cryptoUser;
  }

  List<CryptoUnit> listUnits(String guid) {
    FaultGate.Admitted call = gate.begin(Operation.LIST_UNITS, guid, null);
    synchronized (state.lock) {
      InstanceRecord instance = provisioning.activeInstance(Operation.LIST_UNITS, guid, null);
      List<CryptoUnit> out = new ArrayList<>();
      for (UnitRecord u : instance.units) {
        boolean maintenance = u.heldInMaintenance || state.faults.maintenanceForListing(u.id, u.index);
        String wire = maintenance ? UnitState.MAINTENANCE.wireValue()
            : u.rawStateOverride != null ? u.rawStateOverride : u.state.wireValue();
        out.add(CryptoUnit.of(u.id, instance.guid, wire));
      }
      call.finish();
      return List.copyOf(out);
    }
  }

  void claim(String guid, String unitId, String adminPublicKeyPem) {
    FaultGate.Admitted call = gate.begin(Operation.CLAIM, guid, unitId);
    synchronized (state.lock) {
      UnitRecord unit = usableUnit(Operation.CLAIM, guid, unitId);
      RSAPublicKey admin;
      try {
        admin = UnitCrypto.parsePublicKeyPem(adminPublicKeyPem);
      } catch (IllegalArgumentException e) {
        throw state.error(Operation.CLAIM, unitId, 400, "INVALID_CERTIFICATE",
            "the claim certificate of unit " + unitId + " is not an RSA public key in PEM: "
                + e.getMessage());
      }
      if (unit.admin != null
          || !UnitLifecycle.transition(unit.state, UnitLifecycle.Change.CLAIM).allowed()) {
        throw state.error(Operation.CLAIM, unitId, 409, "CRYPTO_UNIT_ALREADY_CLAIMED",
            "crypto unit " + unitId + " is " + unit.state.wireValue()
                + " and cannot be claimed again; zeroize it first to change its administrator");
      }
      unit.admin = admin;
      unit.users.put(InMemoryDedicatedCloud.ADMIN_USER_NAME, new CryptoUser(InMemoryDedicatedCloud.ADMIN_USER_NAME, UserType.ADMIN, Map.of()));
      unit.setState(unit.derivedState());
      state.stats.recordChange(Operation.CLAIM, unitId);
      call.finish();
    }
  }

  void zeroize(String guid, String unitId) {
    FaultGate.Admitted call = gate.begin(Operation.ZEROIZE, guid, unitId);
    synchronized (state.lock) {
      UnitRecord unit = usableUnit(Operation.ZEROIZE, guid, unitId);
      unit.wipe();
      state.sessions.endUnit(guid, unitId);
      state.stats.recordChange(Operation.ZEROIZE, unitId);
      call.finish();
    }
  }

  CryptoUserMetadata cryptoUserMetadata(String guid) {
    FaultGate.Admitted call = gate.begin(Operation.CRYPTO_USER_METADATA, guid, null);
    synchronized (state.lock) {
      provisioning.activeInstance(Operation.CRYPTO_USER_METADATA, guid, null);
      call.finish();
      return cryptoUser.metadata();
    }
  }

  /**
   * Opens a session: holds a place in the {@link SessionRegistry} (refused before the unit is asked
   * when the limits are reached), checks the administrator's signature, and registers the session.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param command the signed command
   * @param body the bytes it was signed over
   * @return the session
   */
  SessionInfo openSession(String guid, String unitId, SignedCommand command, byte[] body) {
    SessionRegistry.Reservation place = state.sessions.reserve(guid, unitId);
    SessionInfo info;
    try {
      info = openChecked(guid, unitId, command, body);
    } catch (RuntimeException e) {
      state.sessions.release(place);
      throw e;
    }
    state.sessions.open(place, info.sessionId());
    return info;
  }

  private SessionInfo openChecked(String guid, String unitId, SignedCommand command,
      byte[] body) {
    FaultGate.Admitted call = gate.begin(Operation.OPEN_SESSION, guid, unitId);
    UnitRecord unit;
    synchronized (state.lock) {
      unit = authorizedUnit(Operation.OPEN_SESSION, guid, unitId, null, command, body);
      if (unit.importKey != null || !state.settings.importKeyPool().isEmpty()) {
        SessionInfo info =
            new SessionInfo(state.newUuid(), unitId, (RSAPublicKey) importKey(unit).getPublic());
        call.finish();
        return info;
      }
    }
    // The unit's first session: make its RSA import key outside the lock, so that other units'
    // calls do not wait for it. Two first sessions of one unit racing keep the first key set.
    KeyPair generated = UnitCrypto.generateRsa(state.settings.importKeyBits(), state.settings.secureRandom());
    synchronized (state.lock) {
      if (unit.importKey == null) {
        unit.importKey = generated;
      }
      SessionInfo info =
          new SessionInfo(state.newUuid(), unitId, (RSAPublicKey) unit.importKey.getPublic());
      call.finish();
      return info;
    }
  }

  /**
   * Closes a session of the registry.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param sessionId the session
   * @return false when it was not open on that unit
   */
  boolean closeSession(String guid, String unitId, String sessionId) {
    return state.sessions.close(sessionId, guid, unitId);
  }

  List<CryptoUser> listUsers(String guid, String unitId, String sessionId,
      SignedCommand command, byte[] body) {
    FaultGate.Admitted call = gate.begin(Operation.LIST_USERS, guid, unitId);
    synchronized (state.lock) {
      UnitRecord unit = authorizedUnit(Operation.LIST_USERS, guid, unitId, sessionId, command, body);
      List<CryptoUser> users = List.copyOf(unit.users.values());
      call.finish();
      return users;
    }
  }

  void addUser(String guid, String unitId, String sessionId, NewUser user,
      SignedCommand command, byte[] body) {
    Objects.requireNonNull(user, "user");
    FaultGate.Admitted call = gate.begin(Operation.ADD_USER, guid, unitId);
    synchronized (state.lock) {
      UnitRecord unit = authorizedUnit(Operation.ADD_USER, guid, unitId, sessionId, command, body);
      if (unit.users.containsKey(user.name())) {
        throw state.error(Operation.ADD_USER, unitId, 409, "USER_ALREADY_EXISTS",
            "crypto unit " + unitId + " already has a user named '" + user.name() + "'");
      }
      if (user.type() == UserType.KMS_CRYPTO_USER) {
        cryptoUser.check(unitId, user);
        if (unit.hasCryptoUser()) {
          throw state.error(Operation.ADD_USER, unitId, 409, "USER_ALREADY_EXISTS",
              "crypto unit " + unitId + " already has its kmsCryptoUser");
        }
      } else {
        try {
          UnitCrypto.parsePublicKeyPem(user.publicKeyPem());
        } catch (IllegalArgumentException e) {
          throw state.error(Operation.ADD_USER, unitId, 400, "INVALID_PUBLIC_KEY",
              "user '" + user.name() + "' for unit " + unitId
                  + " has no RSA public key in PEM: " + e.getMessage());
        }
      }
      unit.users.put(user.name(), new CryptoUser(user.name(), user.type(), user.attributes()));
      unit.setState(unit.derivedState());
      state.stats.recordChange(Operation.ADD_USER, unitId);
      call.finish();
    }
  }

  List<MasterKeyInfo> listMasterKeys(String guid, String unitId, String sessionId,
      SignedCommand command, byte[] body) {
    FaultGate.Admitted call = gate.begin(Operation.LIST_MASTER_KEYS, guid, unitId);
    synchronized (state.lock) {
      UnitRecord unit = authorizedUnit(Operation.LIST_MASTER_KEYS, guid, unitId, sessionId, command, body);
      List<MasterKeyInfo> keys = unit.masterKey == null ? List.of() : List.of(unit.masterKey);
      call.finish();
      return keys;
    }
  }

  MasterKeyInfo importMasterKey(String guid, String unitId, String sessionId, String keyName,
      byte[] wrappedKey, SignedCommand command, byte[] body) {
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    FaultGate.Admitted call = gate.begin(Operation.IMPORT_MASTER_KEY, guid, unitId);
    synchronized (state.lock) {
      UnitRecord unit = authorizedUnit(Operation.IMPORT_MASTER_KEY, guid, unitId, sessionId, command, body);
      if (keyName == null || keyName.isBlank() || keyName.length() > 8) {
        throw state.error(Operation.IMPORT_MASTER_KEY, unitId, 400, "INVALID_KEY_NAME",
            "master key name must have 1 to 8 characters");
      }
      byte[] key;
      try {
        key = UnitCrypto.unwrapOaep(importKey(unit).getPrivate(), wrappedKey);
      } catch (IllegalArgumentException e) {
        throw state.error(Operation.IMPORT_MASTER_KEY, unitId, 400, "KEY_UNWRAP_FAILED",
            "the wrapped master key does not open with the import key of unit " + unitId
                + "; wrap it to the key the session returned (RSA-OAEP, SHA-256, MGF1-SHA-256)");
      }
      try {
        if (key.length != 32) {
          throw state.error(Operation.IMPORT_MASTER_KEY, unitId, 400, "INVALID_KEY_LENGTH",
              "the master key must be an AES-256 key (32 bytes), got " + key.length + " bytes");
        }
        CheckValue kcv = PortableHsmBackend.checkValueOf(UnitCrypto.checkValue(key));
        if (unit.masterKey != null) {
          if (!unit.masterKey.checkValue().equals(kcv)) {
            throw state.error(Operation.IMPORT_MASTER_KEY, unitId, 409, "MASTER_KEY_ALREADY_LOADED",
                "crypto unit " + unitId + " already holds a different master key (check value "
                    + unit.masterKey.checkValue() + "); zeroize it before importing another key");
          }
          MasterKeyInfo same = unit.masterKey;
          call.finish();
          return same;
        }
        unit.masterKey = new MasterKeyInfo(keyName, kcv);
        unit.setState(unit.derivedState());
        state.stats.recordChange(Operation.IMPORT_MASTER_KEY, unitId);
        MasterKeyInfo info = unit.masterKey;
        call.finish();
        return info;
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  /** A unit that takes calls now, or the service's 404/409/503; the caller holds the lock. */
  UnitRecord usableUnit(Operation op, String guid, String unitId) {
    Objects.requireNonNull(unitId, "unitId");
    InstanceRecord instance = provisioning.activeInstance(op, guid, unitId);
    UnitRecord unit = null;
    for (UnitRecord u : instance.units) {
      if (u.id.equals(unitId)) {
        unit = u;
      }
    }
    if (unit == null) {
      throw state.error(op, unitId, 404, "CRYPTO_UNIT_NOT_FOUND",
          "instance " + guid + " has no crypto unit '" + unitId + "'");
    }
    if (unit.heldInMaintenance) {
      throw state.maintenance(op, unitId);
    }
    Optional<UnitLifecycle.Refusal> closed = UnitLifecycle.refusesCalls(unit.state);
    if (closed.isPresent()) {
      if (closed.get().kind() == FailureKind.MAINTENANCE) {
        throw state.maintenance(op, unitId);
      }
      throw state.error(op, unitId, 409, closed.get().serviceCode(),
          "crypto unit " + unitId + ": " + closed.get().reason());
    }
    return unit;
  }

  /**
   * A unit that takes session commands now: usable, the session (when one is named) open on it in
   * the registry, the command signed by its administrator. The session is checked before the
   * signature, so a command on an ended session uses up no nonce. The caller holds the lock.
   */
  private UnitRecord authorizedUnit(Operation op, String guid, String unitId, String sessionId,
      SignedCommand command, byte[] body) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(body, "body");
    UnitRecord unit = usableUnit(op, guid, unitId);
    if (sessionId != null && !state.sessions.use(sessionId, guid, unitId)) {
      throw sessionNotFound(op, unitId, sessionId);
    }
    signatures.check(op, unit, command, body);
    return unit;
  }

  /**
   * Returns the service's 404 for a session that is not open on the unit.
   *
   * @param op the operation
   * @param unitId the unit
   * @param sessionId the session
   * @return the exception
   */
  HttpServiceException sessionNotFound(Operation op, String unitId, String sessionId) {
    return state.error(op, unitId, 404, "SESSION_NOT_FOUND", "no open session " + sessionId
        + " on crypto unit " + unitId + " (never opened, closed, ended by a zeroize or a crash, or"
        + " expired after being idle); open one first");
  }

  private KeyPair importKey(UnitRecord unit) {
    List<KeyPair> pool = state.settings.importKeyPool();
    if (unit.importKey == null) {
      unit.importKey = pool.isEmpty()
          ? UnitCrypto.generateRsa(state.settings.importKeyBits(), state.settings.secureRandom())
          : pool.get(unit.index % pool.size());
    }
    return unit.importKey;
  }
}
