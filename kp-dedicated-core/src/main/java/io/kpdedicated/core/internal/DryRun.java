package io.kpdedicated.core.internal;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.core.spi.PreparedMasterKey;
import io.kpdedicated.core.spi.ProvisioningApi;
import io.kpdedicated.core.spi.ServiceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The transport a plan runs over: reads go to the real transport, every change is recorded on a
 * shadow of the unit instead, with the service's transitions from {@link UnitLifecycle}, and later
 * reads see the shadow. So {@code plan()} is the run itself, over effects that record instead of
 * mutating. Thread-safe.
 */
final class DryRun implements DedicatedTransport {
  /** The check value a plan shows for a key that only a unit can generate. */
  static final CheckValue NOT_YET_GENERATED = new CheckValue("not-yet-generated");

  private final DedicatedTransport real;
  private final Map<String, UnitState> listed = new HashMap<>();
  private final Map<String, Shadow> shadows = new HashMap<>();
  private final ProvisioningApi provisioning;
  private final CryptoUnitApi cryptoUnits;
  private final HsmBackend hsm;

  /** What a plan did to one unit. Guarded by the DryRun's lock. */
  private static final class Shadow {
    UnitState state;
    boolean claimedByUs;
    final List<MasterKeyInfo> keys = new ArrayList<>();
    final List<CryptoUser> users = new ArrayList<>();
  }

  DryRun(DedicatedTransport real) {
    this.real = Objects.requireNonNull(real, "real");
    this.provisioning = new Provisioning(real.provisioning());
    this.cryptoUnits = new Units(real.cryptoUnits());
    this.hsm = new Backend(real.hsm());
  }

  @Override
  public ProvisioningApi provisioning() {
    return provisioning;
  }

  @Override
  public CryptoUnitApi cryptoUnits() {
    return cryptoUnits;
  }

  @Override
  public HsmBackend hsm() {
    return hsm;
  }

  private synchronized UnitState current(String unitId) {
    Shadow s = shadows.get(unitId);
    return s != null && s.state != null ? s.state : listed.getOrDefault(unitId, UnitState.UNKNOWN);
  }

  private synchronized Shadow shadow(String unitId) {
    return shadows.computeIfAbsent(unitId, k -> new Shadow());
  }

  /** Applies a change to the shadow, or throws what the service would answer. */
  private synchronized void change(Operation op, String unitId, UnitLifecycle.Change change) {
    UnitLifecycle.Transition t = UnitLifecycle.transition(current(unitId), change);
    if (!t.allowed()) {
      throw ServiceException.builder(op, t.refusal().kind(), "crypto unit " + unitId + ": "
          + t.refusal().reason()).unitId(unitId).serviceCode(t.refusal().serviceCode()).build();
    }
    shadow(unitId).state = t.to();
  }

  private final class Provisioning implements ProvisioningApi {
    private final ProvisioningApi inner;

    Provisioning(ProvisioningApi inner) {
      this.inner = inner;
    }

    @Override
    public Optional<ServiceInstance> findInstanceByName(String name) {
      return inner.findInstanceByName(name);
    }

    @Override
    public ServiceInstance createInstance(InstanceRequest request) {
      throw new IllegalStateException("a plan never creates an instance");
    }

    @Override
    public ServiceInstance getInstance(String instanceId) {
      return inner.getInstance(instanceId);
    }
  }

  private final class Units implements CryptoUnitApi {
    private final CryptoUnitApi inner;

    Units(CryptoUnitApi inner) {
      this.inner = inner;
    }

    @Override
    public List<CryptoUnit> listUnits(InstanceTarget target) {
      List<CryptoUnit> units = inner.listUnits(target);
      List<CryptoUnit> out = new ArrayList<>();
      synchronized (DryRun.this) {
        for (CryptoUnit u : units) {
          listed.put(u.id(), u.state());
          Shadow s = shadows.get(u.id());
          out.add(s != null && s.state != null ? u.withState(s.state) : u);
        }
      }
      return out;
    }

    @Override
    public void claim(InstanceTarget target, String unitId, String claimPublicKeyPem) {
      synchronized (DryRun.this) {
        change(Operation.CLAIM, unitId, UnitLifecycle.Change.CLAIM);
        shadow(unitId).claimedByUs = true;
      }
    }

    @Override
    public void zeroize(InstanceTarget target, String unitId) {
      throw new IllegalStateException("a plan never zeroizes a unit");
    }

    @Override
    public CryptoUserMetadata cryptoUserMetadata(InstanceTarget target) {
      return inner.cryptoUserMetadata(target);
    }
  }

  private final class Backend implements HsmBackend {
    private final HsmBackend inner;

    Backend(HsmBackend inner) {
      this.inner = inner;
    }

    @Override
    public String description() {
      return inner.description();
    }

    @Override
    public AdminCredential prepareAdmin(AdminIdentitySource source, PrepareContext context) {
      return inner.prepareAdmin(source, context);
    }

    @Override
    public PreparedMasterKey prepareMasterKey(MasterKeySource source, PrepareContext context) {
      return inner.prepareMasterKey(source, context);
    }

    @Override
    public HsmSession openSession(InstanceTarget target, String unitId, AdminCredential admin) {
      boolean ours;
      synchronized (DryRun.this) {
        Shadow s = shadows.get(unitId);
        ours = s != null && s.claimedByUs;
      }
      // A unit the plan claimed has no real administrator yet: the session is the shadow's alone.
      return new Session(unitId, ours ? null : inner.openSession(target, unitId, admin));
    }
  }

  /** Reads from the real session (if any) plus the shadow; records changes on the shadow. */
  private final class Session implements HsmSession {
    private final String unitId;
    private final HsmSession inner;

    Session(String unitId, HsmSession inner) {
      this.unitId = unitId;
      this.inner = inner;
    }

    @Override
    public String unitId() {
      return unitId;
    }

    @Override
    public List<CryptoUser> listUsers() {
      List<CryptoUser> users = new ArrayList<>(inner == null ? List.of() : inner.listUsers());
      synchronized (DryRun.this) {
        users.addAll(shadow(unitId).users);
      }
      return users;
    }

    @Override
    public void addUser(NewUser user) {
      synchronized (DryRun.this) {
        if (user.type() == UserType.KMS_CRYPTO_USER) {
          change(Operation.ADD_USER, unitId, UnitLifecycle.Change.ADD_CRYPTO_USER);
        }
        shadow(unitId).users.add(new CryptoUser(user.name(), user.type(), user.attributes()));
      }
    }

    @Override
    public List<MasterKeyInfo> listMasterKeys() {
      List<MasterKeyInfo> keys = new ArrayList<>(inner == null ? List.of()
          : inner.listMasterKeys());
      synchronized (DryRun.this) {
        keys.addAll(shadow(unitId).keys);
      }
      return keys;
    }

    @Override
    public MasterKeyInfo generateMasterKey(PreparedMasterKey key) {
      return load(Operation.GENERATE_MASTER_KEY, key);
    }

    @Override
    public MasterKeyInfo importMasterKey(PreparedMasterKey key) {
      return load(Operation.IMPORT_MASTER_KEY, key);
    }

    private MasterKeyInfo load(Operation op, PreparedMasterKey key) {
      MasterKeyInfo info = new MasterKeyInfo(key.keyName(),
          key.checkValue().orElse(NOT_YET_GENERATED));
      synchronized (DryRun.this) {
        change(op, unitId, UnitLifecycle.Change.LOAD_MASTER_KEY);
        shadow(unitId).keys.add(info);
      }
      return info;
    }

    @Override
    public void close() {
      if (inner != null) {
        inner.close();
      }
    }
  }
}
