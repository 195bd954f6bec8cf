package io.kpdedicated.testkit;

import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.http.HttpServiceException;
import io.kpdedicated.http.SignedCommand;
import io.kpdedicated.core.spi.TransportException;
import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * An in-memory Key Protect Dedicated cloud: the Resource Controller side (instances that provision
 * asynchronously) and the crypto-unit side (units with the service's state machine, admin
 * signatures, key import through real encryption, users), with fault injection and call counts for
 * tests.
 *
 * <p>The methods below are the <em>service side</em>: what the real service would do when a call
 * arrives. {@link InMemoryTransport} calls them in-process for users' unit tests; the loopback HTTP
 * emulator serves them over HTTP. Failures are the ones the real service gives:
 * {@link ServiceException} with an HTTP-like status and a service error code (for example 409
 * {@code CRYPTO_UNIT_ALREADY_CLAIMED} when a claimed unit is claimed again, 404 for an unknown unit,
 * 401/403 for a bad admin signature), or {@link TransportException} for an injected connection
 * drop; after a {@linkplain FaultInjector#crashAfter(int) crash point} every call throws
 * {@link SimulatedCrashException}.
 *
 * <pre>{@code
 * InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
 *     .clock(fakeClock).sleeper(fakeSleeper).provisioningPolls(3).build();
 * cloud.faults().on(Operation.IMPORT_MASTER_KEY).unitIndex(1).error(503, "SERVICE_UNAVAILABLE", "busy");
 * DedicatedTransport transport = InMemoryTransport.over(cloud);
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from several threads at once. Injected latency is
 * slept outside the cloud's lock, so concurrent calls overlap as they would against the service.
 */
public final class InMemoryDedicatedCloud {
  /** The PKCS#1 PEM of the {@code kmsCryptoUser} identity every in-memory cloud reports. */
  static final String CRYPTO_USER_PUBLIC_KEY_PEM = "-----BEGIN RSA PUBLIC KEY-----\n"
      + "MIIBCgKCAQEAjIjdyjLs86sYuuIyhVSQazqyVTxxXobgpnc+i/xtV4q6ra7f/7iu\n"
      + "CvcC6n0cxPLO+AnNJfS1NmTW0aMUgc+sQqcGo/UnGovUAGaICIUcbHHee8rRJJM+\n"
      + "5zb8n3bq1B/+EJ6wViL21g7FEiuCSkJB0toAJOFurH0sMcfkltsymN4CmizVgs6Q\n"
      + "ZGH90wqiwA2UbcyJ7XDQ7fIoFLr4Ms0whrC6poJGdelzS887w4aPFHQFPxZdoL13\n"
      + "rXuG/pRxtt9f64KrQUOJv0ybU+DwfpEd74dy7KVdP4me/9hHLgVY8apikuU51dD/\n"
      + "59nvfFk7mvomP9h4/kOl1QHQGIcBMOdizwIDAQAB\n"
      + "-----END RSA PUBLIC KEY-----\n";

  /** The name under which {@link #listUsers} reports the claimed administrator. */
  public static final String ADMIN_USER_NAME = "admin";

  private final Object lock = new Object();
  private final Clock clock;
  private final Sleeper sleeper;
  private final SecureRandom secureRandom;
  private final Random idRandom;
  private final int provisioningPolls;
  private final Duration provisioningTime;
  private final int unitsPerInstance;
  private final String accountId;
  private final Set<String> regions;
  private final Duration signatureWindow;
  private final List<KeyPair> importKeyPool;
  private final int importKeyBits;
  private final String cryptoUserName;
  private final int cryptoUserSlot;
  private final RSAPublicKey cryptoUserKey;
  private final FaultInjector faults = new FaultInjector();
  private final CallStats stats = new CallStats();
  private final List<InstanceRecord> instances = new ArrayList<>();
  private long requestCounter;

  private InMemoryDedicatedCloud(Builder b) {
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.secureRandom = b.secureRandom != null ? b.secureRandom : new SecureRandom();
    this.idRandom = new Random(b.seed);
    this.provisioningPolls = b.provisioningPolls;
    this.provisioningTime = b.provisioningTime;
    this.unitsPerInstance = b.unitsPerInstance;
    this.accountId = b.accountId;
    this.regions = Set.copyOf(b.regions);
    this.signatureWindow = b.signatureWindow;
    this.importKeyPool = List.copyOf(b.importKeyPool);
    this.importKeyBits = b.importKeyBits;
    this.cryptoUserName = b.cryptoUserName;
    this.cryptoUserSlot = b.cryptoUserSlot;
    this.cryptoUserKey = UnitCrypto.parsePublicKeyPem(CRYPTO_USER_PUBLIC_KEY_PEM);
  }

  /** {@return a builder with the defaults described on its methods} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a cloud with every default (system clock, real sleeping, two polls to provision)} */
  public static InMemoryDedicatedCloud create() {
    return builder().build();
  }

  /** {@return the fault queue} */
  public FaultInjector faults() {
    return faults;
  }

  /** {@return the call counts} */
  public CallStats stats() {
    return stats;
  }

  /** {@return the clock the cloud checks signature timestamps and provisioning time with} */
  public Clock clock() {
    return clock;
  }

  // ---------------------------------------------------------------- Resource Controller side

  /**
   * Creates an instance (service {@code kms}, plan {@code dedicated}). It starts
   * {@code provisioning} and becomes {@code active} after the configured polls or time; its
   * endpoints appear when it is active. Names are not unique, as in the Resource Controller.
   *
   * @param request what to create
   * @return the instance as first reported
   * @throws ServiceException 400 {@code INVALID_REGION} for a region the cloud does not serve
   */
  public ServiceInstance createInstance(InstanceRequest request) {
    Objects.requireNonNull(request, "request");
    Call call = begin(Operation.CREATE_INSTANCE, null, null);
    synchronized (lock) {
      if (!regions.contains(request.region())) {
        throw error(Operation.CREATE_INSTANCE, null, 400, "INVALID_REGION",
            "region '" + request.region() + "' does not offer Key Protect Dedicated; use one of "
                + regions);
      }
      InstanceRecord instance = newInstance(request);
      if (provisioningPolls == 0 && provisioningTime == null) {
        instance.state = InstanceState.ACTIVE;
      }
      instances.add(instance);
      stats.recordChange(Operation.CREATE_INSTANCE, null);
      ServiceInstance answer = describe(instance);
      call.finish();
      return answer;
    }
  }

  /**
   * Finds an instance by exact name.
   *
   * @param name the name
   * @return the instance, or empty
   * @throws ServiceException 409 {@code AMBIGUOUS_INSTANCE_NAME} when several instances have it
   */
  public Optional<ServiceInstance> findInstanceByName(String name) {
    Objects.requireNonNull(name, "name");
    Call call = begin(Operation.FIND_INSTANCE, null, null);
    synchronized (lock) {
      List<InstanceRecord> found = new ArrayList<>();
      for (InstanceRecord i : instances) {
        if (i.name.equals(name) && i.state != InstanceState.REMOVED) {
          found.add(i);
        }
      }
      if (found.size() > 1) {
        throw error(Operation.FIND_INSTANCE, null, 409, "AMBIGUOUS_INSTANCE_NAME",
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

  /**
   * Reads an instance. Each read counts as one provisioning poll.
   *
   * @param idOrGuid the instance id (CRN) or GUID
   * @return the instance
   * @throws ServiceException 404 {@code INSTANCE_NOT_FOUND}
   */
  public ServiceInstance getInstance(String idOrGuid) {
    Objects.requireNonNull(idOrGuid, "idOrGuid");
    Call call = begin(Operation.GET_INSTANCE, null, null);
    synchronized (lock) {
      InstanceRecord instance = findInstance(idOrGuid);
      if (instance == null) {
        throw error(Operation.GET_INSTANCE, null, 404, "INSTANCE_NOT_FOUND",
            "no instance with id or GUID '" + idOrGuid + "'");
      }
      instance.polls++;
      ServiceInstance answer = describe(instance);
      call.finish();
      return answer;
    }
  }

  // ---------------------------------------------------------------- crypto-unit side

  /**
   * Lists an instance's crypto units.
   *
   * @param guid the instance GUID
   * @return the units, in the service's order
   * @throws ServiceException 404 {@code INSTANCE_NOT_FOUND}, 409 {@code INSTANCE_NOT_ACTIVE}
   */
  public List<CryptoUnit> listUnits(String guid) {
    Call call = begin(Operation.LIST_UNITS, guid, null);
    synchronized (lock) {
      InstanceRecord instance = activeInstance(Operation.LIST_UNITS, guid, null);
      List<CryptoUnit> out = new ArrayList<>();
      for (UnitRecord u : instance.units) {
        boolean maintenance = u.heldInMaintenance || faults.maintenanceForListing(u.id, u.index);
        String wire = maintenance ? UnitState.MAINTENANCE.wireValue()
            : u.rawStateOverride != null ? u.rawStateOverride : u.state.wireValue();
        out.add(CryptoUnit.of(u.id, instance.guid, wire));
      }
      call.finish();
      return List.copyOf(out);
    }
  }

  /**
   * Installs an administrator key on a unit. Not idempotent, as in the real service.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param adminPublicKeyPem the admin key as PKCS#1 (or SubjectPublicKeyInfo) PEM
   * @throws ServiceException 409 {@code CRYPTO_UNIT_ALREADY_CLAIMED} for a claimed unit, 400
   *     {@code INVALID_CERTIFICATE} for a bad key, 404 for an unknown unit, 503 in maintenance
   */
  public void claim(String guid, String unitId, String adminPublicKeyPem) {
    Call call = begin(Operation.CLAIM, guid, unitId);
    synchronized (lock) {
      UnitRecord unit = usableUnit(Operation.CLAIM, guid, unitId);
      RSAPublicKey admin;
      try {
        admin = UnitCrypto.parsePublicKeyPem(adminPublicKeyPem);
      } catch (IllegalArgumentException e) {
        throw error(Operation.CLAIM, unitId, 400, "INVALID_CERTIFICATE",
            "the claim certificate of unit " + unitId + " is not an RSA public key in PEM: "
                + e.getMessage());
      }
      if (unit.admin != null
          || !UnitLifecycle.transition(unit.state, UnitLifecycle.Change.CLAIM).allowed()) {
        throw error(Operation.CLAIM, unitId, 409, "CRYPTO_UNIT_ALREADY_CLAIMED",
            "crypto unit " + unitId + " is " + unit.state.wireValue()
                + " and cannot be claimed again; zeroize it first to change its administrator");
      }
      unit.admin = admin;
      unit.users.put(ADMIN_USER_NAME, new CryptoUser(ADMIN_USER_NAME, UserType.ADMIN, Map.of()));
      unit.setState(unit.derivedState());
      stats.recordChange(Operation.CLAIM, unitId);
      call.finish();
    }
  }

  /**
   * Wipes a unit: administrator, master key and users are gone; it returns to {@code reserved}.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @throws ServiceException 404 for an unknown unit, 409 for a unit marked for deletion, 503 in
   *     maintenance
   */
  public void zeroize(String guid, String unitId) {
    Call call = begin(Operation.ZEROIZE, guid, unitId);
    synchronized (lock) {
      UnitRecord unit = usableUnit(Operation.ZEROIZE, guid, unitId);
      unit.wipe();
      stats.recordChange(Operation.ZEROIZE, unitId);
      call.finish();
    }
  }

  /**
   * Returns the identity the {@code kmsCryptoUser} must be created with: a fixed RSA key, the
   * cloud's user name and slot.
   *
   * @param guid the instance GUID
   * @return the metadata
   */
  public CryptoUserMetadata cryptoUserMetadata(String guid) {
    Call call = begin(Operation.CRYPTO_USER_METADATA, guid, null);
    synchronized (lock) {
      activeInstance(Operation.CRYPTO_USER_METADATA, guid, null);
      call.finish();
      return metadata();
    }
  }

  /**
   * Opens an HSM session on a unit after checking the administrator's signature.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param command the signed command
   * @param body the body the command was signed over
   * @return the session, with the unit's import key
   * @throws ServiceException 409 {@code CRYPTO_UNIT_NOT_CLAIMED}, 401 {@code SIGNATURE_EXPIRED} /
   *     {@code NONCE_REPLAYED} / {@code BODY_DIGEST_MISMATCH}, 403 {@code ADMIN_SIGNATURE_INVALID}
   */
  public SessionInfo openSession(String guid, String unitId, SignedCommand command, byte[] body) {
    Call call = begin(Operation.OPEN_SESSION, guid, unitId);
    UnitRecord unit;
    synchronized (lock) {
      unit = authorizedUnit(Operation.OPEN_SESSION, guid, unitId, command, body);
      if (unit.importKey != null || !importKeyPool.isEmpty()) {
        SessionInfo info =
            new SessionInfo(newUuid(), unitId, (RSAPublicKey) importKey(unit).getPublic());
        call.finish();
        return info;
      }
    }
    // The unit's first session: make its RSA import key outside the lock, so that other units'
    // calls do not wait for it. Two first sessions of one unit racing keep the first key set.
    KeyPair generated = UnitCrypto.generateRsa(importKeyBits, secureRandom);
    synchronized (lock) {
      if (unit.importKey == null) {
        unit.importKey = generated;
      }
      SessionInfo info =
          new SessionInfo(newUuid(), unitId, (RSAPublicKey) unit.importKey.getPublic());
      call.finish();
      return info;
    }
  }

  /**
   * Lists a unit's users (the claimed administrator is reported as {@value #ADMIN_USER_NAME}).
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param command the signed command
   * @param body the body the command was signed over
   * @return the users
   */
  public List<CryptoUser> listUsers(String guid, String unitId, SignedCommand command,
      byte[] body) {
    Call call = begin(Operation.LIST_USERS, guid, unitId);
    synchronized (lock) {
      UnitRecord unit = authorizedUnit(Operation.LIST_USERS, guid, unitId, command, body);
      List<CryptoUser> users = List.copyOf(unit.users.values());
      call.finish();
      return users;
    }
  }

  /**
   * Adds a user. A {@code kmsCryptoUser} must carry exactly the identity of
   * {@link #cryptoUserMetadata} (name, public key, {@code CXI_GROUP=SLOT_%04d}). Adding it moves a
   * {@code claimed} unit to {@code kms-authorized} and an {@code initialized} one to
   * {@code kms-initialized}.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param user the user
   * @param command the signed command
   * @param body the body the command was signed over
   * @throws ServiceException 409 {@code USER_ALREADY_EXISTS}, 400 {@code INVALID_CRYPTO_USER}, and
   *     the signature failures of {@link #openSession}
   */
  public void addUser(String guid, String unitId, NewUser user, SignedCommand command,
      byte[] body) {
    Objects.requireNonNull(user, "user");
    Call call = begin(Operation.ADD_USER, guid, unitId);
    synchronized (lock) {
      UnitRecord unit = authorizedUnit(Operation.ADD_USER, guid, unitId, command, body);
      if (unit.users.containsKey(user.name())) {
        throw error(Operation.ADD_USER, unitId, 409, "USER_ALREADY_EXISTS",
            "crypto unit " + unitId + " already has a user named '" + user.name() + "'");
      }
      if (user.type() == UserType.KMS_CRYPTO_USER) {
        checkCryptoUser(unitId, user);
        if (unit.hasCryptoUser()) {
          throw error(Operation.ADD_USER, unitId, 409, "USER_ALREADY_EXISTS",
              "crypto unit " + unitId + " already has its kmsCryptoUser");
        }
      } else {
        try {
          UnitCrypto.parsePublicKeyPem(user.publicKeyPem());
        } catch (IllegalArgumentException e) {
          throw error(Operation.ADD_USER, unitId, 400, "INVALID_PUBLIC_KEY",
              "user '" + user.name() + "' for unit " + unitId
                  + " has no RSA public key in PEM: " + e.getMessage());
        }
      }
      unit.users.put(user.name(), new CryptoUser(user.name(), user.type(), user.attributes()));
      unit.setState(unit.derivedState());
      stats.recordChange(Operation.ADD_USER, unitId);
      call.finish();
    }
  }

  /**
   * Lists the master keys loaded in a unit with their check values (empty or one).
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param command the signed command
   * @param body the body the command was signed over
   * @return the keys
   */
  public List<MasterKeyInfo> listMasterKeys(String guid, String unitId, SignedCommand command,
      byte[] body) {
    Call call = begin(Operation.LIST_MASTER_KEYS, guid, unitId);
    synchronized (lock) {
      UnitRecord unit = authorizedUnit(Operation.LIST_MASTER_KEYS, guid, unitId, command, body);
      List<MasterKeyInfo> keys = unit.masterKey == null ? List.of() : List.of(unit.masterKey);
      call.finish();
      return keys;
    }
  }

  /**
   * Imports a master key wrapped to the unit's import key (RSA-OAEP, SHA-256, MGF1-SHA-256): the
   * unit unwraps it, computes its check value and keeps name and check value. Moves a
   * {@code claimed} unit to {@code initialized} and a {@code kms-authorized} one to
   * {@code kms-initialized}. Importing the key the unit already holds changes nothing and answers
   * as before; importing a different key fails.
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param keyName the key name, 1 to 8 characters
   * @param wrappedKey the wrapped AES-256 key
   * @param command the signed command
   * @param body the body the command was signed over
   * @return the loaded key's name and check value
   * @throws ServiceException 409 {@code MASTER_KEY_ALREADY_LOADED} for a different key, 400
   *     {@code INVALID_KEY_NAME} / {@code KEY_UNWRAP_FAILED} / {@code INVALID_KEY_LENGTH}, and the
   *     signature failures of {@link #openSession}
   */
  public MasterKeyInfo importMasterKey(String guid, String unitId, String keyName,
      byte[] wrappedKey, SignedCommand command, byte[] body) {
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    Call call = begin(Operation.IMPORT_MASTER_KEY, guid, unitId);
    synchronized (lock) {
      UnitRecord unit = authorizedUnit(Operation.IMPORT_MASTER_KEY, guid, unitId, command, body);
      if (keyName == null || keyName.isBlank() || keyName.length() > 8) {
        throw error(Operation.IMPORT_MASTER_KEY, unitId, 400, "INVALID_KEY_NAME",
            "master key name must have 1 to 8 characters");
      }
      byte[] key;
      try {
        key = UnitCrypto.unwrapOaep(importKey(unit).getPrivate(), wrappedKey);
      } catch (IllegalArgumentException e) {
        throw error(Operation.IMPORT_MASTER_KEY, unitId, 400, "KEY_UNWRAP_FAILED",
            "the wrapped master key does not open with the import key of unit " + unitId
                + "; wrap it to the key the session returned (RSA-OAEP, SHA-256, MGF1-SHA-256)");
      }
      try {
        if (key.length != 32) {
          throw error(Operation.IMPORT_MASTER_KEY, unitId, 400, "INVALID_KEY_LENGTH",
              "the master key must be an AES-256 key (32 bytes), got " + key.length + " bytes");
        }
        CheckValue kcv = PortableHsmBackend.checkValueOf(UnitCrypto.checkValue(key));
        if (unit.masterKey != null) {
          if (!unit.masterKey.checkValue().equals(kcv)) {
            throw error(Operation.IMPORT_MASTER_KEY, unitId, 409, "MASTER_KEY_ALREADY_LOADED",
                "crypto unit " + unitId + " already holds a different master key (check value "
                    + unit.masterKey.checkValue() + "); zeroize it before importing another key");
          }
          MasterKeyInfo same = unit.masterKey;
          call.finish();
          return same;
        }
        unit.masterKey = new MasterKeyInfo(keyName, kcv);
        unit.setState(unit.derivedState());
        stats.recordChange(Operation.IMPORT_MASTER_KEY, unitId);
        MasterKeyInfo info = unit.masterKey;
        call.finish();
        return info;
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  /**
   * Counts a call the cloud does not serve itself (such as the emulator's IAM token endpoint,
   * {@link Operation#TOKEN}) and applies the fault queue, the chaos mode and the crash point to it:
   * throws what a matching fault says, sleeps injected latency, and returns normally otherwise. A
   * lost-response fault has nothing to lose here and lets the call through.
   *
   * @param operation the operation being served
   * @throws ServiceException for an injected error status
   * @throws TransportException for an injected connection drop
   * @throws SimulatedCrashException after the crash point
   */
  public void admitCall(Operation operation) {
    Objects.requireNonNull(operation, "operation");
    begin(operation, null, null);
  }

  // ---------------------------------------------------------------- test views and setup

  /** {@return every instance and unit as they are now} */
  public CloudSnapshot snapshot() {
    synchronized (lock) {
      List<InstanceSnapshot> out = new ArrayList<>();
      for (InstanceRecord i : instances) {
        out.add(snapshotOf(i));
      }
      return new CloudSnapshot(out);
    }
  }

  /**
   * Returns one instance and its units as they are now.
   *
   * @param idGuidOrName the instance id (CRN), GUID or name
   * @return the snapshot
   * @throws java.util.NoSuchElementException if there is no such instance
   */
  public InstanceSnapshot snapshot(String idGuidOrName) {
    return snapshot().instance(idGuidOrName);
  }

  /** {@return a helper that sets up instances directly, without calls and without counting} */
  public CloudArranger arrange() {
    return new CloudArranger(this);
  }

  /**
   * Returns a helper that puts an existing instance and its units into any state.
   *
   * @param idGuidOrName the instance id (CRN), GUID or name
   * @return the helper
   * @throws java.util.NoSuchElementException if there is no such instance
   */
  public InstanceArranger arrange(String idGuidOrName) {
    synchronized (lock) {
      InstanceRecord instance = findInstance(idGuidOrName);
      if (instance == null) {
        for (InstanceRecord i : instances) {
          if (i.name.equals(idGuidOrName)) {
            instance = i;
          }
        }
      }
      if (instance == null) {
        throw new java.util.NoSuchElementException("no instance " + idGuidOrName);
      }
      return new InstanceArranger(this, instance.guid);
    }
  }

  /** {@return the crypto-user metadata without a call (for test assertions)} */
  public CryptoUserMetadata metadata() {
    return new CryptoUserMetadata(cryptoUserName, CRYPTO_USER_PUBLIC_KEY_PEM, cryptoUserSlot);
  }

  // ---------------------------------------------------------------- package-private for arrangers

  Object lock() {
    return lock;
  }

  ServiceInstance arrangeInstance(InstanceRequest request, boolean active) {
    synchronized (lock) {
      InstanceRecord instance = newInstance(request);
      if (active) {
        instance.state = InstanceState.ACTIVE;
      }
      instances.add(instance);
      return describe(instance);
    }
  }

  InstanceRecord instanceRecord(String guid) {
    InstanceRecord instance = findInstance(guid);
    if (instance == null) {
      throw new java.util.NoSuchElementException("no instance " + guid);
    }
    return instance;
  }

  ServiceInstance describeInstance(String guid) {
    synchronized (lock) {
      return describe(instanceRecord(guid));
    }
  }

  // ---------------------------------------------------------------- internals

  /** A call in progress: counted, faults applied; {@link #finish()} applies a lost response. */
  private final class Call {
    private final Operation op;
    private final String unitId;
    private final boolean loseResponse;

    Call(Operation op, String unitId, boolean loseResponse) {
      this.op = op;
      this.unitId = unitId;
      this.loseResponse = loseResponse;
    }

    void finish() {
      if (loseResponse) {
        throw new TransportException(op, unitId,
            "connection dropped before the answer to " + op.wireName() + " arrived (injected fault;"
                + " the service did perform the call)", null, true, null);
      }
    }
  }

  private Call begin(Operation op, String guid, String unitId) {
    int index = -1;
    synchronized (lock) {
      stats.recordCall(op, unitId);
      if (unitId != null && guid != null) {
        InstanceRecord instance = findInstance(guid);
        if (instance != null) {
          for (UnitRecord u : instance.units) {
            if (u.id.equals(unitId)) {
              index = u.index;
            }
          }
        }
      }
    }
    FaultInjector.Decision decision = faults.decide(op, unitId, index);
    if (decision.crash) {
      throw new SimulatedCrashException(op, unitId);
    }
    if (!decision.latency.isZero()) {
      try {
        sleeper.sleep(decision.latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransportException(op, unitId, "interrupted while waiting for the answer to "
            + op.wireName(), null, false, e);
      }
    }
    Fault fault = decision.fault;
    if (fault instanceof Fault.ErrorStatus e) {
      throw HttpServiceException.builder(op, e.status(), e.message())
          .unitId(unitId).serviceCode(e.serviceCode())
          .requestId(nextRequestId()).retryAfter(e.retryAfter()).build();
    }
    if (fault instanceof Fault.ConnectionDrop) {
      throw new TransportException(op, unitId, "connection dropped during " + op.wireName()
          + (unitId == null ? "" : " on unit " + unitId) + " (injected fault)", null, true, null);
    }
    if (fault instanceof Fault.Maintenance) {
      throw maintenance(op, unitId);
    }
    return new Call(op, unitId, fault instanceof Fault.ResponseLost);
  }

  private HttpServiceException maintenance(Operation op, String unitId) {
    return HttpServiceException.builder(op, 503, "crypto unit " + unitId + " is in maintenance")
        .unitId(unitId).serviceCode("CRYPTO_UNIT_IN_MAINTENANCE").kind(FailureKind.MAINTENANCE)
        .requestId(nextRequestId()).build();
  }

  private HttpServiceException error(Operation op, String unitId, int status, String code,
      String message) {
    return HttpServiceException.builder(op, status, message).unitId(unitId).serviceCode(code)
        .requestId(nextRequestId()).build();
  }

  private String nextRequestId() {
    synchronized (lock) {
      return "req-" + (++requestCounter);
    }
  }

  private InstanceRecord newInstance(InstanceRequest request) {
    String guid = newUuid();
    int count = unitsPerInstance > 0 ? unitsPerInstance : request.cryptoUnits();
    InstanceRecord instance = new InstanceRecord(guid,
        "crn:v1:bluemix:public:kms:" + request.region() + ":a/" + accountId + ":" + guid + "::",
        request.name(), request.region(), clock.instant());
    for (int i = 0; i < count; i++) {
      instance.units.add(new UnitRecord(newUuid(), i));
    }
    return instance;
  }

  private String newUuid() {
    synchronized (lock) {
      long hi = (idRandom.nextLong() & ~0xF000L) | 0x4000L;
      long lo = (idRandom.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(hi, lo).toString();
    }
  }

  private InstanceRecord findInstance(String idOrGuid) {
    for (InstanceRecord i : instances) {
      if (i.guid.equals(idOrGuid) || i.crn.equals(idOrGuid)) {
        return i;
      }
    }
    return null;
  }

  private void refreshState(InstanceRecord instance) {
    if (instance.state != InstanceState.PROVISIONING) {
      return;
    }
    boolean done = provisioningTime != null
        ? !clock.instant().isBefore(instance.createdAt.plus(provisioningTime))
        : instance.polls >= provisioningPolls;
    if (done) {
      instance.state = InstanceState.ACTIVE;
    }
  }

  private ServiceInstance describe(InstanceRecord i) {
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

  private InstanceSnapshot snapshotOf(InstanceRecord i) {
    List<UnitSnapshot> units = new ArrayList<>();
    for (UnitRecord u : i.units) {
      UnitState reported = u.heldInMaintenance ? UnitState.MAINTENANCE
          : u.rawStateOverride != null ? UnitState.fromWire(u.rawStateOverride) : u.state;
      units.add(new UnitSnapshot(u.id, u.index, reported, u.admin, u.masterKey,
          List.copyOf(u.users.values())));
    }
    return new InstanceSnapshot(describe(i), units);
  }

  private InstanceRecord activeInstance(Operation op, String guid, String unitId) {
    InstanceRecord instance = guid == null ? null : findInstance(guid);
    if (instance == null) {
      throw error(op, unitId, 404, "INSTANCE_NOT_FOUND", "no instance with GUID '" + guid + "'");
    }
    refreshState(instance);
    if (instance.state != InstanceState.ACTIVE) {
      throw error(op, unitId, 409, "INSTANCE_NOT_ACTIVE",
          "instance " + guid + " is " + instance.state.name().toLowerCase(Locale.ROOT)
              + ", not active; wait until it is active");
    }
    return instance;
  }

  private UnitRecord usableUnit(Operation op, String guid, String unitId) {
    Objects.requireNonNull(unitId, "unitId");
    InstanceRecord instance = activeInstance(op, guid, unitId);
    UnitRecord unit = null;
    for (UnitRecord u : instance.units) {
      if (u.id.equals(unitId)) {
        unit = u;
      }
    }
    if (unit == null) {
      throw error(op, unitId, 404, "CRYPTO_UNIT_NOT_FOUND",
          "instance " + guid + " has no crypto unit '" + unitId + "'");
    }
    if (unit.heldInMaintenance) {
      throw maintenance(op, unitId);
    }
    Optional<UnitLifecycle.Refusal> closed = UnitLifecycle.refusesCalls(unit.state);
    if (closed.isPresent()) {
      if (closed.get().kind() == FailureKind.MAINTENANCE) {
        throw maintenance(op, unitId);
      }
      throw error(op, unitId, 409, closed.get().serviceCode(),
          "crypto unit " + unitId + ": " + closed.get().reason());
    }
    return unit;
  }

  private UnitRecord authorizedUnit(Operation op, String guid, String unitId,
      SignedCommand command, byte[] body) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(body, "body");
    UnitRecord unit = usableUnit(op, guid, unitId);
    if (unit.admin == null) {
      throw error(op, unitId, 409, "CRYPTO_UNIT_NOT_CLAIMED",
          "crypto unit " + unitId + " has no administrator yet; claim it first");
    }
    if (!command.unitId().equals(unitId)) {
      throw error(op, unitId, 401, "SIGNATURE_WRONG_UNIT",
          "the command was signed for unit " + command.unitId() + ", not " + unitId);
    }
    if (!UnitCrypto.bodyMatches(command, body)) {
      throw error(op, unitId, 401, "BODY_DIGEST_MISMATCH",
          "the body digest in the signed command for unit " + unitId + " does not match the body");
    }
    Instant now = clock.instant();
    Instant signedAt = Instant.ofEpochMilli(command.timestampMillis());
    if (signedAt.isBefore(now.minus(signatureWindow)) || signedAt.isAfter(now.plus(signatureWindow))) {
      throw error(op, unitId, 401, "SIGNATURE_EXPIRED",
          "the command for unit " + unitId + " was signed at " + signedAt + ", outside "
              + signatureWindow + " of the unit's time " + now + "; check the signer's clock");
    }
    if (!UnitCrypto.signatureValid(command, unit.admin)) {
      throw error(op, unitId, 403, "ADMIN_SIGNATURE_INVALID",
          "the command for unit " + unitId + " is not signed by the unit's administrator");
    }
    unit.pruneNonces(now.minus(signatureWindow));
    if (unit.nonces.putIfAbsent(command.nonce(), signedAt) != null) {
      throw error(op, unitId, 401, "NONCE_REPLAYED",
          "the command's nonce was already used on unit " + unitId + "; sign every command anew");
    }
    return unit;
  }

  private KeyPair importKey(UnitRecord unit) {
    if (unit.importKey == null) {
      unit.importKey = importKeyPool.isEmpty()
          ? UnitCrypto.generateRsa(importKeyBits, secureRandom)
          : importKeyPool.get(unit.index % importKeyPool.size());
    }
    return unit.importKey;
  }

  private void checkCryptoUser(String unitId, NewUser user) {
    if (!user.name().equals(cryptoUserName)) {
      throw error(Operation.ADD_USER, unitId, 400, "INVALID_CRYPTO_USER",
          "the kmsCryptoUser must be named '" + cryptoUserName + "' (see the crypto-user metadata),"
              + " got '" + user.name() + "'");
    }
    RSAPublicKey key;
    try {
      key = UnitCrypto.parsePublicKeyPem(user.publicKeyPem());
    } catch (IllegalArgumentException e) {
      key = null;
    }
    if (key == null || !UnitCrypto.sameKey(key, cryptoUserKey)) {
      throw error(Operation.ADD_USER, unitId, 400, "INVALID_CRYPTO_USER",
          "the kmsCryptoUser's public key is not the one of the crypto-user metadata");
    }
    String expected = String.format(Locale.ROOT, "SLOT_%04d", cryptoUserSlot);
    if (!expected.equals(user.attributes().get(NewUser.CXI_GROUP))) {
      throw error(Operation.ADD_USER, unitId, 400, "INVALID_CRYPTO_USER",
          "the kmsCryptoUser needs the attribute " + NewUser.CXI_GROUP + "=" + expected + ", got "
              + user.attributes().get(NewUser.CXI_GROUP));
    }
  }

  /** Mutable state of one instance; guarded by the cloud's lock. */
  static final class InstanceRecord {
    final String guid;
    final String crn;
    final String name;
    final String region;
    final Instant createdAt;
    final List<UnitRecord> units = new ArrayList<>();
    InstanceState state = InstanceState.PROVISIONING;
    int polls;

    InstanceRecord(String guid, String crn, String name, String region, Instant createdAt) {
      this.guid = guid;
      this.crn = crn;
      this.name = name;
      this.region = region;
      this.createdAt = createdAt;
    }
  }

  /** Mutable state of one unit; guarded by the cloud's lock. */
  static final class UnitRecord {
    final String id;
    final int index;
    UnitState state = UnitState.RESERVED;
    boolean heldInMaintenance;
    String rawStateOverride;
    RSAPublicKey admin;
    MasterKeyInfo masterKey;
    final Map<String, CryptoUser> users = new LinkedHashMap<>();
    final Map<String, Instant> nonces = new LinkedHashMap<>();
    KeyPair importKey;

    UnitRecord(String id, int index) {
      this.id = id;
      this.index = index;
    }

    void setState(UnitState newState) {
      state = newState;
      rawStateOverride = null;
    }

    boolean hasCryptoUser() {
      return users.values().stream().anyMatch(u -> u.type() == UserType.KMS_CRYPTO_USER);
    }

    /** The state the service reports for what the unit holds (the lifecycle model decides). */
    UnitState derivedState() {
      return UnitLifecycle.stateOf(
          new UnitLifecycle.Content(admin != null, masterKey != null, hasCryptoUser()));
    }

    void wipe() {
      admin = null;
      masterKey = null;
      users.clear();
      nonces.clear();
      setState(UnitState.RESERVED);
    }

    void pruneNonces(Instant oldest) {
      for (Iterator<Instant> it = nonces.values().iterator(); it.hasNext(); ) {
        if (it.next().isBefore(oldest)) {
          it.remove();
        }
      }
    }
  }

  /**
   * Builds {@link InMemoryDedicatedCloud}s. Not thread-safe.
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private SecureRandom secureRandom;
    private long seed = 42;
    private int provisioningPolls = 2;
    private Duration provisioningTime;
    private int unitsPerInstance;
    private String accountId = "5f8c0a4e1b2d4c6e8a0b1c2d3e4f5a6b";
    private Set<String> regions = Set.of(InstanceRequest.DEFAULT_REGION);
    private Duration signatureWindow = Duration.ofMinutes(5);
    private List<KeyPair> importKeyPool = List.of();
    private int importKeyBits = 2048;
    private String cryptoUserName = "kmsCryptoUser";
    private int cryptoUserSlot = 1;

    private Builder() {}

    /**
     * Sets the clock for signature timestamps and time-based provisioning (default: system UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how injected latency waits (default: {@link Sleeper#SYSTEM}, really sleeping). Tests pass
     * a fake that advances a fake clock.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets the seed of the generator for GUIDs and unit ids (default 42), so runs are repeatable.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the randomness for the units' import keys (default: a new {@link SecureRandom}).
     *
     * @param random the source
     * @return this builder
     */
    public Builder secureRandom(SecureRandom random) {
      this.secureRandom = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Makes a new instance active on its {@code polls}-th read with {@code getInstance} (default 2;
     * 0 makes it active at once). Replaces {@link #provisioningTime}.
     *
     * @param polls 0 or more
     * @return this builder
     */
    public Builder provisioningPolls(int polls) {
      if (polls < 0) {
        throw new IllegalArgumentException("polls must be 0 or more, got " + polls);
      }
      this.provisioningPolls = polls;
      this.provisioningTime = null;
      return this;
    }

    /**
     * Makes a new instance active once {@code time} has passed on the cloud's clock. Replaces
     * {@link #provisioningPolls}.
     *
     * @param time not negative
     * @return this builder
     */
    public Builder provisioningTime(Duration time) {
      Objects.requireNonNull(time, "time");
      if (time.isNegative()) {
        throw new IllegalArgumentException("provisioning time must not be negative");
      }
      this.provisioningTime = time;
      return this;
    }

    /**
     * Gives every new instance this many crypto units whatever the request says (default: the
     * request's count, 2 or 3). For benchmarks and tests of large instances; the real service
     * offers 2 or 3 only.
     *
     * @param units 1 to 256, or 0 to follow the request
     * @return this builder
     */
    public Builder unitsPerInstance(int units) {
      if (units < 0 || units > 256) {
        throw new IllegalArgumentException("units must be 0 (follow the request) to 256, got "
            + units);
      }
      this.unitsPerInstance = units;
      return this;
    }

    /**
     * Sets the account id that appears in instance CRNs.
     *
     * @param accountId not blank, no colon
     * @return this builder
     */
    public Builder accountId(String accountId) {
      Objects.requireNonNull(accountId, "accountId");
      if (accountId.isBlank() || accountId.contains(":")) {
        throw new IllegalArgumentException("accountId must be non-blank and free of ':'");
      }
      this.accountId = accountId;
      return this;
    }

    /**
     * Sets the regions where instances can be created (default: {@code us-south} only).
     *
     * @param regions at least one
     * @return this builder
     */
    public Builder regions(Set<String> regions) {
      if (Objects.requireNonNull(regions, "regions").isEmpty()) {
        throw new IllegalArgumentException("regions must not be empty");
      }
      this.regions = Set.copyOf(regions);
      return this;
    }

    /**
     * Sets how far a signed command's timestamp may be from the cloud's clock (default 5 minutes).
     *
     * @param window positive
     * @return this builder
     */
    public Builder signatureWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("window must be positive");
      }
      this.signatureWindow = window;
      return this;
    }

    /**
     * Gives units import key pairs from this list instead of generating a new RSA key per unit: the
     * unit at position {@code i} uses {@code pool.get(i % pool.size())}. Generating RSA keys is slow;
     * tests that create many clouds share one pool (at least as large as the unit count keeps
     * every unit of an instance distinct).
     *
     * @param pool RSA key pairs, not empty
     * @return this builder
     */
    public Builder importKeyPairs(List<KeyPair> pool) {
      Objects.requireNonNull(pool, "pool");
      if (pool.isEmpty()) {
        throw new IllegalArgumentException("pool must not be empty");
      }
      for (KeyPair pair : pool) {
        if (!(Objects.requireNonNull(pair, "pool entry").getPublic() instanceof RSAPublicKey)) {
          throw new IllegalArgumentException("import key pairs must be RSA");
        }
      }
      this.importKeyPool = List.copyOf(pool);
      return this;
    }

    /**
     * Sets the size of generated import keys (default 2048).
     *
     * @param bits 1024 to 4096
     * @return this builder
     */
    public Builder importKeyBits(int bits) {
      if (bits < 1024 || bits > 4096) {
        throw new IllegalArgumentException("bits must be 1024..4096, got " + bits);
      }
      this.importKeyBits = bits;
      return this;
    }

    /**
     * Sets the {@code kmsCryptoUser} name and slot of the crypto-user metadata (default
     * {@code kmsCryptoUser}, slot 1).
     *
     * @param userName not blank
     * @param slot 0..9999
     * @return this builder
     */
    public Builder cryptoUser(String userName, int slot) {
      Objects.requireNonNull(userName, "userName");
      if (userName.isBlank() || slot < 0 || slot > 9999) {
        throw new IllegalArgumentException("userName must be non-blank and slot 0..9999");
      }
      this.cryptoUserName = userName;
      this.cryptoUserSlot = slot;
      return this;
    }

    /**
     * Builds the cloud.
     *
     * @return the cloud
     */
    public InMemoryDedicatedCloud build() {
      return new InMemoryDedicatedCloud(this);
    }
  }
}
