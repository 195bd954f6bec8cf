package io.kpdedicated.testkit;

import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ProvisioningApi;
import io.kpdedicated.core.spi.Remediations;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RsaKeys;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link DedicatedTransport} that talks to an {@link InMemoryDedicatedCloud} in-process: no
 * network, no HTTP paths and no JSON: it calls the cloud's model with typed arguments, but with
 * the same authentication and key handling as a real transport. Session commands are signed with
 * the administrator's {@link AdminSigner} over their typed arguments (a
 * {@link io.kpdedicated.http.SignedCommand} with a fresh timestamp and nonce on every call, so
 * retries are never replays), and the master key travels only wrapped to the unit's import key
 * ({@link RsaKeys#wrapOaep}). Sessions live in the cloud's one session registry
 * ({@link InMemoryDedicatedCloud#sessions()}), shared with the loopback emulator: a zeroize or a
 * crash either way ends them. Failures are the cloud's
 * {@link io.kpdedicated.core.spi.ServiceException}s and {@link TransportException}s.
 *
 * <p>Calls against an instance's private endpoint ({@code .api.private.}) time out, as they do from
 * outside IBM's private network, unless {@link Builder#privateNetwork(boolean)} is set.
 *
 * <p>Thread-safe; sessions it opens are for one thread at a time.
 */
public final class InMemoryTransport implements DedicatedTransport {
  private final InMemoryDedicatedCloud cloud;
  private final Clock clock;
  private final SecureRandom random;
  private final boolean privateNetwork;
  private final ProvisioningApi provisioning = new Provisioning();
  private final CryptoUnitApi cryptoUnits = new CryptoUnits();
  private final HsmBackend hsm = new PortableHsmBackend(PortableHsmBackend.SIGNED_REST,
      this::openSession);

  private InMemoryTransport(Builder b) {
    this.cloud = b.cloud;
    this.clock = b.clock != null ? b.clock : b.cloud.clock();
    this.random = b.random != null ? b.random : new SecureRandom();
    this.privateNetwork = b.privateNetwork;
  }

  /**
   * Returns a transport over {@code cloud} that signs with the cloud's clock.
   *
   * @param cloud the cloud
   * @return the transport
   */
  public static InMemoryTransport over(InMemoryDedicatedCloud cloud) {
    return builder(cloud).build();
  }

  /**
   * Returns a builder for a transport over {@code cloud}.
   *
   * @param cloud the cloud
   * @return the builder
   */
  public static Builder builder(InMemoryDedicatedCloud cloud) {
    return new Builder(Objects.requireNonNull(cloud, "cloud"));
  }

  /** {@return the cloud this transport talks to} */
  public InMemoryDedicatedCloud cloud() {
    return cloud;
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

  private final class Provisioning implements ProvisioningApi {
    @Override
    public Optional<ServiceInstance> findInstanceByName(String name) {
      return cloud.findInstanceByName(name);
    }

    @Override
    public ServiceInstance createInstance(InstanceRequest request) {
      return cloud.createInstance(request);
    }

    @Override
    public ServiceInstance getInstance(String instanceId) {
      return cloud.getInstance(instanceId);
    }
  }

  private final class CryptoUnits implements CryptoUnitApi {
    @Override
    public List<CryptoUnit> listUnits(InstanceTarget target) {
      reach(target, Operation.LIST_UNITS, null);
      return cloud.listUnits(target.instanceGuid());
    }

    @Override
    public void claim(InstanceTarget target, String unitId, String adminPublicKeyPkcs1Pem) {
      reach(target, Operation.CLAIM, unitId);
      cloud.claim(target.instanceGuid(), unitId, adminPublicKeyPkcs1Pem);
    }

    @Override
    public void zeroize(InstanceTarget target, String unitId) {
      reach(target, Operation.ZEROIZE, unitId);
      cloud.zeroize(target.instanceGuid(), unitId);
    }

    @Override
    public CryptoUserMetadata cryptoUserMetadata(InstanceTarget target) {
      reach(target, Operation.CRYPTO_USER_METADATA, null);
      return cloud.cryptoUserMetadata(target.instanceGuid());
    }

  }

  private PortableHsmBackend.PortableSession openSession(InstanceTarget target, String unitId,
      AdminSigner admin) {
    Objects.requireNonNull(unitId, "unitId");
    Objects.requireNonNull(admin, "admin");
    reach(target, Operation.OPEN_SESSION, unitId);
    InProcessCommand c = sign(admin, Operation.OPEN_SESSION, unitId, null,
        InProcessCommand.noArguments());
    SessionInfo info = cloud.sessions().open(target.instanceGuid(), unitId, c.command(), c.body());
    return new Session(target, unitId, admin, info);
  }

  /**
   * A session opened in the cloud's session registry: every command names it, so a zeroize, an
   * arranger's wipe or the crash point (in process or over HTTP) ends it for this side too.
   */
  private final class Session implements PortableHsmBackend.PortableSession {
    private final InstanceTarget target;
    private final String unitId;
    private final AdminSigner admin;
    private final SessionInfo info;
    private volatile boolean closed;

    Session(InstanceTarget target, String unitId, AdminSigner admin, SessionInfo info) {
      this.target = target;
      this.unitId = unitId;
      this.admin = admin;
      this.info = info;
    }

    @Override
    public String unitId() {
      return unitId;
    }

    @Override
    public List<CryptoUser> listUsers() {
      InProcessCommand c = command(Operation.LIST_USERS, InProcessCommand.noArguments());
      return cloud.sessions().listUsers(target.instanceGuid(), unitId, info.sessionId(),
          c.command(), c.body());
    }

    @Override
    public void addUser(NewUser user) {
      Objects.requireNonNull(user, "user");
      InProcessCommand c = command(Operation.ADD_USER, InProcessCommand.addUser(user));
      cloud.sessions().addUser(target.instanceGuid(), unitId, info.sessionId(), user, c.command(),
          c.body());
    }

    @Override
    public List<MasterKeyInfo> listMasterKeys() {
      InProcessCommand c = command(Operation.LIST_MASTER_KEYS, InProcessCommand.noArguments());
      return cloud.sessions().listMasterKeys(target.instanceGuid(), unitId, info.sessionId(),
          c.command(), c.body());
    }

    @Override
    public MasterKeyInfo importMasterKey(MasterKey key) {
      Objects.requireNonNull(key, "key");
      checkOpen();
      byte[] wrapped;
      byte[] clear = key.copyKeyBytes();
      try {
        wrapped = RsaKeys.wrapOaep(info.importKey(), clear);
      } finally {
        Arrays.fill(clear, (byte) 0);
      }
      InProcessCommand c = command(Operation.IMPORT_MASTER_KEY,
          InProcessCommand.importMasterKey(key.name(), wrapped));
      return cloud.sessions().importMasterKey(target.instanceGuid(), unitId, info.sessionId(),
          key.name(), wrapped, c.command(), c.body());
    }

    /** Checks the session is open here and the endpoint reachable, then signs the command. */
    private InProcessCommand command(Operation op, byte[] arguments) {
      checkOpen();
      reach(target, op, unitId);
      return sign(admin, op, unitId, info.sessionId(), arguments);
    }

    private void checkOpen() {
      if (closed) {
        throw new IllegalStateException("the HSM session on unit " + unitId + " is closed");
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        cloud.sessions().close(target.instanceGuid(), unitId, info.sessionId());
      }
    }
  }

  private InProcessCommand sign(AdminSigner admin, Operation op, String unitId, String sessionId,
      byte[] arguments) {
    return InProcessCommand.sign(admin, op, unitId, sessionId, arguments, clock.instant(), random);
  }

  /** Fails as the network would when the target's endpoint does not lead to the instance. */
  private void reach(InstanceTarget target, Operation op, String unitId) {
    Objects.requireNonNull(target, "target");
    ServiceInstance instance;
    try {
      instance = cloud.describeInstance(target.instanceGuid());
    } catch (NoSuchElementException e) {
      return; // the cloud answers 404 itself
    }
    URI endpoint = target.endpoint();
    if (endpoint.equals(instance.privateEndpoint())) {
      if (!privateNetwork) {
        throw new TransportException(op, FailureKind.TIMEOUT, unitId,
            op.wireName() + " against " + endpoint + " timed out (context deadline exceeded)",
            Remediations.PRIVATE_ENDPOINT_TIMEOUT, false, null);
      }
      return;
    }
    if (!endpoint.equals(instance.publicEndpoint())) {
      throw new TransportException(op, unitId,
          "no instance answers at " + endpoint + " for GUID " + target.instanceGuid()
              + "; use the endpoint from the instance document",
          "Read the instance again and use its public endpoint.", false, null);
    }
  }

  /** Builds {@link InMemoryTransport}s. Not thread-safe. */
  public static final class Builder {
    private final InMemoryDedicatedCloud cloud;
    private Clock clock;
    private SecureRandom random;
    private boolean privateNetwork;

    private Builder(InMemoryDedicatedCloud cloud) {
      this.cloud = cloud;
    }

    /**
     * Sets the clock that timestamps signed commands (default: the cloud's clock). A clock far from
     * the cloud's makes the units refuse commands as expired.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the source of the signed commands' nonces (default: a new {@link SecureRandom}).
     *
     * @param random the source
     * @return this builder
     */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Says whether the caller sits inside IBM's private network, where private endpoints answer
     * (default false: they time out).
     *
     * @param inside true to make private endpoints work
     * @return this builder
     */
    public Builder privateNetwork(boolean inside) {
      this.privateNetwork = inside;
      return this;
    }

    /**
     * Builds the transport.
     *
     * @return the transport
     */
    public InMemoryTransport build() {
      return new InMemoryTransport(this);
    }
  }
}
