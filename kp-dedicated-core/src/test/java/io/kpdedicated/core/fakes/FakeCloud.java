package io.kpdedicated.core.fakes;

import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ProvisioningApi;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RsaKeys;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A small hand-written Dedicated service for the initializer's own tests: one instance, units with
 * the real state machine, admin-key checks on sessions, and a fault queue per (operation, unit).
 * Thread-safe (every method is synchronized).
 */
public final class FakeCloud implements DedicatedTransport, ProvisioningApi, CryptoUnitApi {
  public static final String GUID = "0f1e2d3c-guid";
  public static final String CRN = "crn:v1:bluemix:public:kms:us-south:a/acct:" + GUID + "::";
  public static final URI ENDPOINT = URI.create("https://" + GUID + ".api.us-south.kms.appdomain.cloud");
  public static final URI PRIVATE_ENDPOINT =
      URI.create("https://" + GUID + ".api.private.us-south.kms.appdomain.cloud");
  public static final CryptoUserMetadata METADATA = new CryptoUserMetadata("kmsCryptoUser",
      "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n", 7);

  /** One unit's server-side state. */
  public static final class Unit {
    public final String id;
    public UnitState state;
    public String adminPem;
    public final List<MasterKeyInfo> keys = new ArrayList<>();
    public final List<CryptoUser> users = new ArrayList<>();
    public int maintenanceCalls;

    Unit(String id, UnitState state) {
      this.id = id;
      this.state = state;
    }
  }

  /** What an injected fault does. */
  public enum FaultMode {
    /** Fail before doing anything. */
    BEFORE,
    /** Do the work, then fail (the answer is lost). */
    AFTER
  }

  private record Fault(FaultMode mode, RuntimeException failure) {}

  private final Map<String, Unit> units = new LinkedHashMap<>();
  private final Map<String, Deque<Fault>> faults = new HashMap<>();
  private final Map<String, Integer> calls = new HashMap<>();
  private final Map<String, Integer> maintenanceTriggers = new HashMap<>();
  private ServiceInstance instance;
  private int pollsUntilActive;
  private boolean privateOnly;
  private InstanceState terminal;
  private final List<String> log = new ArrayList<>();
  private final HsmBackend hsm = new PortableHsmBackend("portable: fake", this::openSession);
  private int callCount;
  private final Map<String, KeyCheckValue> importsLoad = new HashMap<>();
  private int sessionsOpened;
  private int sessionsClosed;
  private int crashAfter = -1;
  private boolean crashLosesAnswer;

  /** Creates a cloud with no instance. */
  public FakeCloud() {}

  /** Creates a cloud with an active instance whose units are in the given states. */
  public static FakeCloud withActiveInstance(UnitState... states) {
    FakeCloud cloud = new FakeCloud();
    cloud.instance = cloud.instanceDoc("kpd-test", InstanceState.ACTIVE, states.length);
    for (int i = 0; i < states.length; i++) {
      cloud.units.put("unit-" + (i + 1), new Unit("unit-" + (i + 1), states[i]));
    }
    return cloud;
  }

  private ServiceInstance instanceDoc(String name, InstanceState state, int count) {
    boolean active = state == InstanceState.ACTIVE;
    return new ServiceInstance(CRN, GUID, CRN, name, state, state.wireValue(), "us-south",
        active && !privateOnly ? ENDPOINT : null, active ? PRIVATE_ENDPOINT : null, count, null);
  }

  // ---- set-up and observation ----

  public synchronized FakeCloud pollsUntilActive(int polls) {
    this.pollsUntilActive = polls;
    return this;
  }

  public synchronized FakeCloud privateEndpointOnly() {
    this.privateOnly = true;
    if (instance != null) {
      instance = instanceDoc(instance.name(), instance.state(), instance.cryptoUnits());
    }
    return this;
  }

  public synchronized FakeCloud becomes(InstanceState state) {
    this.terminal = state;
    return this;
  }

  public synchronized Unit unit(String id) {
    return units.get(id);
  }

  /** Puts a unit in a state as if another admin or an earlier run had worked on it. */
  public synchronized FakeCloud claimedBy(String unitId, AdminSigner admin) {
    Unit u = units.get(unitId);
    u.adminPem = RsaKeys.toPkcs1Pem(admin.publicKey());
    return this;
  }

  public synchronized FakeCloud holdsKey(String unitId, String name, KeyCheckValue kcv) {
    units.get(unitId).keys.add(new MasterKeyInfo(name, PortableHsmBackend.checkValueOf(kcv)));
    return this;
  }

  public synchronized FakeCloud hasCryptoUser(String unitId) {
    units.get(unitId).users.add(new CryptoUser(METADATA.userName(), UserType.KMS_CRYPTO_USER,
        Map.of(NewUser.CXI_GROUP, METADATA.cxiGroup())));
    return this;
  }

  public synchronized FakeCloud maintenance(String unitId, int unitCalls) {
    Unit u = units.get(unitId);
    u.maintenanceCalls = unitCalls;
    return this;
  }

  /** After {@code op} on the unit succeeds once, the unit goes into maintenance for some calls. */
  public synchronized FakeCloud maintenanceAfter(Operation op, String unitId, int unitCalls) {
    maintenanceTriggers.put(key(op, unitId), unitCalls);
    return this;
  }

  public synchronized FakeCloud fail(Operation op, String unitId, FaultMode mode,
      RuntimeException failure) {
    faults.computeIfAbsent(key(op, unitId), k -> new ArrayDeque<>()).add(new Fault(mode, failure));
    return this;
  }

  public synchronized FakeCloud fail(Operation op, String unitId, RuntimeException failure) {
    return fail(op, unitId, FaultMode.BEFORE, failure);
  }

  /**
   * Simulates a crash of the caller: the first {@code calls} calls behave, every later call fails
   * before doing anything; with {@code lastAnswerLost} the last good call does its work but its
   * answer is lost.
   */
  public synchronized FakeCloud crashAfter(int calls, boolean lastAnswerLost) {
    this.callCount = 0;
    this.crashAfter = calls;
    this.crashLosesAnswer = lastAnswerLost;
    return this;
  }

  /** Ends a simulated crash: calls behave again. */
  public synchronized FakeCloud noCrash() {
    this.crashAfter = -1;
    return this;
  }

  /**
   * The next import into the unit loads (and reports) a key with this check value instead of the
   * one it was given, as a unit whose import went wrong would.
   */
  public synchronized FakeCloud importLoads(String unitId, KeyCheckValue kcv) {
    importsLoad.put(unitId, kcv);
    return this;
  }

  /** Returns how many sessions were opened. */
  public synchronized int sessionsOpened() {
    return sessionsOpened;
  }

  /** Returns how many times a session was closed. */
  public synchronized int sessionsClosed() {
    return sessionsClosed;
  }

  public synchronized int calls(Operation op, String unitId) {
    return calls.getOrDefault(key(op, unitId), 0);
  }

  public synchronized List<String> log() {
    return List.copyOf(log);
  }

  public synchronized ServiceInstance instance() {
    return instance;
  }

  public static ServiceException status(Operation op, String unitId, FailureKind kind,
      String message) {
    return ServiceException.builder(op, kind, message).unitId(unitId).build();
  }

  public static TransportException drop(Operation op, String unitId) {
    return new TransportException(op, unitId, "connection reset", null, true, null);
  }

  private static String key(Operation op, String unitId) {
    return op.wireName() + ":" + (unitId == null ? "*" : unitId);
  }

  /** Counts a call, applies a BEFORE fault, runs it, then applies an AFTER fault. */
  private <T> T call(Operation op, String unitId, Supplier<T> body) {
    calls.merge(key(op, unitId), 1, Integer::sum);
    log.add(key(op, unitId));
    if (crashAfter >= 0) {
      callCount++;
      if (callCount > crashAfter) {
        throw new IllegalStateException("simulated crash before " + key(op, unitId));
      }
      if (callCount == crashAfter && crashLosesAnswer) {
        body.get();
        throw new IllegalStateException("simulated crash after " + key(op, unitId));
      }
    }
    Deque<Fault> queue = faults.get(key(op, unitId));
    Fault fault = queue == null ? null : queue.poll();
    if (fault != null && fault.mode() == FaultMode.BEFORE) {
      throw fault.failure();
    }
    if (unitId != null && op != Operation.LIST_UNITS) {
      Unit u = units.get(unitId);
      if (u != null && u.maintenanceCalls > 0) {
        u.maintenanceCalls--;
        throw ServiceException.builder(op, FailureKind.MAINTENANCE, "crypto unit is in maintenance").unitId(unitId)
            .serviceCode("UNIT_IN_MAINTENANCE").build();
      }
    }
    T result = body.get();
    Integer trigger = maintenanceTriggers.remove(key(op, unitId));
    if (trigger != null) {
      units.get(unitId).maintenanceCalls = trigger;
    }
    if (fault != null) {
      throw fault.failure();
    }
    return result;
  }

  /** The state after {@code change} as the lifecycle model says; unchanged when it refuses. */
  private static UnitState next(UnitState from, UnitLifecycle.Change change) {
    UnitLifecycle.Transition t = UnitLifecycle.transition(from, change);
    return t.allowed() ? t.to() : from;
  }

  // ---- DedicatedTransport ----

  @Override
  public ProvisioningApi provisioning() {
    return this;
  }

  @Override
  public CryptoUnitApi cryptoUnits() {
    return this;
  }

  @Override
  public HsmBackend hsm() {
    return hsm;
  }

  // ---- ProvisioningApi ----

  @Override
  public synchronized Optional<ServiceInstance> findInstanceByName(String name) {
    return call(Operation.FIND_INSTANCE, null,
        () -> Optional.ofNullable(instance).filter(i -> i.name().equals(name)));
  }

  @Override
  public synchronized ServiceInstance createInstance(InstanceRequest request) {
    return call(Operation.CREATE_INSTANCE, null, () -> {
      if (instance != null) {
        throw status(Operation.CREATE_INSTANCE, null, FailureKind.ALREADY_EXISTS, "an instance exists already");
      }
      instance = instanceDoc(request.name(), pollsUntilActive > 0 ? InstanceState.PROVISIONING
          : InstanceState.ACTIVE, request.cryptoUnits());
      for (int i = 1; i <= request.cryptoUnits(); i++) {
        units.put("unit-" + i, new Unit("unit-" + i, UnitState.RESERVED));
      }
      return instance;
    });
  }

  @Override
  public synchronized ServiceInstance getInstance(String instanceId) {
    return call(Operation.GET_INSTANCE, null, () -> {
      if (instance == null || !(instance.id().equals(instanceId)
          || instance.guid().equals(instanceId))) {
        throw status(Operation.GET_INSTANCE, null, FailureKind.NOT_FOUND, "no such instance");
      }
      if (instance.state() == InstanceState.PROVISIONING) {
        if (terminal != null) {
          instance = instanceDoc(instance.name(), terminal, instance.cryptoUnits());
        } else if (--pollsUntilActive <= 0) {
          instance = instanceDoc(instance.name(), InstanceState.ACTIVE, instance.cryptoUnits());
        }
      }
      return instance;
    });
  }

  // ---- CryptoUnitApi ----

  @Override
  public synchronized List<CryptoUnit> listUnits(InstanceTarget target) {
    return call(Operation.LIST_UNITS, null, () -> {
      List<CryptoUnit> list = new ArrayList<>();
      for (Unit u : units.values()) {
        UnitState shown = u.state;
        if (u.maintenanceCalls > 0) {
          u.maintenanceCalls--;
          shown = UnitState.MAINTENANCE;
        }
        list.add(CryptoUnit.of(u.id, GUID, shown.wireValue()));
      }
      return list;
    });
  }

  private Unit existing(Operation op, String unitId) {
    Unit u = units.get(unitId);
    if (u == null) {
      throw status(op, unitId, FailureKind.NOT_FOUND, "no such crypto unit");
    }
    return u;
  }

  @Override
  public synchronized void claim(InstanceTarget target, String unitId, String pem) {
    call(Operation.CLAIM, unitId, () -> {
      Unit u = existing(Operation.CLAIM, unitId);
      UnitLifecycle.Transition t = UnitLifecycle.transition(u.state, UnitLifecycle.Change.CLAIM);
      if (!t.allowed()) {
        throw status(Operation.CLAIM, unitId, FailureKind.ALREADY_EXISTS, t.refusal().reason());
      }
      u.adminPem = pem;
      u.state = t.to();
      return null;
    });
  }

  @Override
  public synchronized void zeroize(InstanceTarget target, String unitId) {
    call(Operation.ZEROIZE, unitId, () -> {
      Unit u = existing(Operation.ZEROIZE, unitId);
      u.state = UnitState.RESERVED;
      u.adminPem = null;
      u.keys.clear();
      u.users.clear();
      return null;
    });
  }

  @Override
  public synchronized CryptoUserMetadata cryptoUserMetadata(InstanceTarget target) {
    return call(Operation.CRYPTO_USER_METADATA, null, () -> METADATA);
  }

  public synchronized PortableHsmBackend.PortableSession openSession(InstanceTarget target,
      String unitId, AdminSigner admin) {
    String pem = RsaKeys.toPkcs1Pem(admin.publicKey());
    return call(Operation.OPEN_SESSION, unitId, () -> {
      Unit u = existing(Operation.OPEN_SESSION, unitId);
      if (u.adminPem == null || !u.adminPem.equals(pem)) {
        throw status(Operation.OPEN_SESSION, unitId, FailureKind.NOT_ADMIN, "signature not from the unit's admin");
      }
      sessionsOpened++;
      return new Session(u);
    });
  }

  private final class Session implements PortableHsmBackend.PortableSession {
    private final Unit unit;

    Session(Unit unit) {
      this.unit = unit;
    }

    @Override
    public String unitId() {
      return unit.id;
    }

    @Override
    public List<CryptoUser> listUsers() {
      synchronized (FakeCloud.this) {
        return call(Operation.LIST_USERS, unit.id, () -> List.copyOf(unit.users));
      }
    }

    @Override
    public void addUser(NewUser user) {
      synchronized (FakeCloud.this) {
        call(Operation.ADD_USER, unit.id, () -> {
          if (unit.users.stream().anyMatch(u -> u.name().equals(user.name()))) {
            throw status(Operation.ADD_USER, unit.id, FailureKind.ALREADY_EXISTS, "user exists");
          }
          unit.users.add(new CryptoUser(user.name(), user.type(), user.attributes()));
          unit.state = next(unit.state, UnitLifecycle.Change.ADD_CRYPTO_USER);
          return null;
        });
      }
    }

    @Override
    public List<MasterKeyInfo> listMasterKeys() {
      synchronized (FakeCloud.this) {
        return call(Operation.LIST_MASTER_KEYS, unit.id, () -> List.copyOf(unit.keys));
      }
    }

    @Override
    public MasterKeyInfo importMasterKey(MasterKey key) {
      synchronized (FakeCloud.this) {
        return call(Operation.IMPORT_MASTER_KEY, unit.id, () -> {
          KeyCheckValue loaded = importsLoad.remove(unit.id);
          MasterKeyInfo info = new MasterKeyInfo(key.name(),
              PortableHsmBackend.checkValueOf(loaded != null ? loaded : key.checkValue()));
          unit.keys.clear();
          unit.keys.add(info);
          unit.state = next(unit.state, UnitLifecycle.Change.LOAD_MASTER_KEY);
          return info;
        });
      }
    }

    @Override
    public void close() {
      synchronized (FakeCloud.this) {
        sessionsClosed++;
      }
    }
  }
}
