package io.kpdedicated.testkit;

import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.SignedCommand;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory Key Protect Dedicated cloud: the Resource Controller side (instances that provision
 * asynchronously) and the crypto-unit side (units with the service's state machine, admin
 * signatures, key import through real encryption, users), with fault injection and call counts for
 * tests.
 *
 * <p>This class is a facade over small parts, one per job: the Resource Controller model, the
 * crypto-unit model (on core's {@link io.kpdedicated.core.UnitLifecycle}), the signature and nonce
 * check, the fault gate, the snapshot views and the fixed crypto-user identity.
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
  /** The name under which {@link #listUsers} reports the claimed administrator. */
  public static final String ADMIN_USER_NAME = "admin";

  private final CloudState state;
  private final FaultGate gate;
  private final ProvisioningModel provisioning;
  private final UnitModel units;
  private final CloudViews views;
  private final FixedCryptoUser cryptoUser;
  private final CloudSessions sessions;

  private InMemoryDedicatedCloud(CloudSettings settings) {
    this.state = new CloudState(settings);
    this.gate = new FaultGate(state);
    this.provisioning = new ProvisioningModel(state, gate);
    this.cryptoUser = new FixedCryptoUser(state);
    this.units = new UnitModel(state, gate, provisioning, new SignatureCheck(state), cryptoUser);
    this.views = new CloudViews(state, provisioning);
    this.sessions = new CloudSessions(state, units);
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
    return state.faults;
  }

  /**
   * Returns the cloud's one registry of open HSM sessions and the session commands on it, shared
   * by the in-process transport and the loopback emulator: a session opened one way is ended by a
   * zeroize, an arranger's wipe or the crash point reached the other way.
   *
   * @return the sessions
   */
  public CloudSessions sessions() {
    return sessions;
  }

  /** {@return the call counts} */
  public CallStats stats() {
    return state.stats;
  }

  /** {@return the clock the cloud checks signature timestamps and provisioning time with} */
  public Clock clock() {
    return state.settings.clock();
  }

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
    return provisioning.createInstance(request);
  }

  /**
   * Finds an instance by exact name.
   *
   * @param name the name
   * @return the instance, or empty
   * @throws ServiceException 409 {@code AMBIGUOUS_INSTANCE_NAME} when several instances have it
   */
  public Optional<ServiceInstance> findInstanceByName(String name) {
    return provisioning.findInstanceByName(name);
  }

  /**
   * Reads an instance. Each read counts as one provisioning poll.
   *
   * @param idOrGuid the instance id (CRN) or GUID
   * @return the instance
   * @throws ServiceException 404 {@code INSTANCE_NOT_FOUND}
   */
  public ServiceInstance getInstance(String idOrGuid) {
    return provisioning.getInstance(idOrGuid);
  }

  /**
   * Lists an instance's crypto units.
   *
   * @param guid the instance GUID
   * @return the units, in the service's order
   * @throws ServiceException 404 {@code INSTANCE_NOT_FOUND}, 409 {@code INSTANCE_NOT_ACTIVE}
   */
  public List<CryptoUnit> listUnits(String guid) {
    return units.listUnits(guid);
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
    units.claim(guid, unitId, adminPublicKeyPem);
  }

  /**
   * Wipes a unit: administrator, master key and users are gone; it returns to {@code reserved}.
   * Its open HSM sessions end, whichever way they were opened (in process or over HTTP).
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @throws ServiceException 404 for an unknown unit, 409 for a unit marked for deletion, 503 in
   *     maintenance
   */
  public void zeroize(String guid, String unitId) {
    units.zeroize(guid, unitId);
  }

  /**
   * Returns the identity the {@code kmsCryptoUser} must be created with: a fixed RSA key, the
   * cloud's user name and slot.
   *
   * @param guid the instance GUID
   * @return the metadata
   */
  public CryptoUserMetadata cryptoUserMetadata(String guid) {
    return units.cryptoUserMetadata(guid);
  }

  /**
   * Opens an HSM session on a unit after checking the administrator's signature, and registers it
   * in the cloud's one session registry ({@link #sessions()}, shared by the in-process transport
   * and the loopback emulator).
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param command the signed command
   * @param body the body the command was signed over
   * @return the session, with the unit's import key
   * @throws ServiceException 409 {@code CRYPTO_UNIT_NOT_CLAIMED}, 401 {@code SIGNATURE_EXPIRED} /
   *     {@code NONCE_REPLAYED} / {@code BODY_DIGEST_MISMATCH}, 403 {@code ADMIN_SIGNATURE_INVALID},
   *     429 {@code TOO_MANY_SESSIONS} / 503 {@code SESSION_LIMIT_REACHED} at the session limits
   */
  public SessionInfo openSession(String guid, String unitId, SignedCommand command, byte[] body) {
    return units.openSession(guid, unitId, command, body);
  }

  /**
   * Lists a unit's users (the claimed administrator is reported as {@value #ADMIN_USER_NAME}),
   * outside any session: only the signature is checked ({@link #sessions()} has the call on an
   * open session).
   *
   * @param guid the instance GUID
   * @param unitId the unit
   * @param command the signed command
   * @param body the body the command was signed over
   * @return the users
   */
  public List<CryptoUser> listUsers(String guid, String unitId, SignedCommand command,
      byte[] body) {
    return units.listUsers(guid, unitId, null, command, body);
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
    units.addUser(guid, unitId, null, user, command, body);
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
    return units.listMasterKeys(guid, unitId, null, command, body);
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
    return units.importMasterKey(guid, unitId, null, keyName, wrappedKey, command, body);
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
    gate.begin(Objects.requireNonNull(operation, "operation"), null, null);
  }

  /** {@return every instance and unit as they are now} */
  public CloudSnapshot snapshot() {
    return views.snapshot();
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

  /**
   * Puts the cloud back as it was built: forgets every instance and unit, ends every open HSM
   * session (in process and over HTTP), clears the fault queue
   * (rules, chaos and the crash point) and the call counts, and restarts id making from the seed,
   * so the next instance gets the same GUID and unit ids a fresh cloud would give. The clock keeps
   * its time (a clock only moves forward). For fixtures that share one cloud between tests; do not
   * call it while calls are in flight.
   */
  public void reset() {
    state.reset();
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
    return new InstanceArranger(this, views.guidOf(idGuidOrName));
  }

  /** {@return the crypto-user metadata without a call (for test assertions)} */
  public CryptoUserMetadata metadata() {
    return cryptoUser.metadata();
  }

  // ---------------------------------------------------------------- package-private for arrangers

  Object lock() {
    return state.lock;
  }

  ServiceInstance arrangeInstance(InstanceRequest request, boolean active) {
    return provisioning.add(request, active);
  }

  /** The instance record; the caller holds the lock. */
  InstanceRecord instanceRecord(String guid) {
    return provisioning.record(guid);
  }

  ServiceInstance describeInstance(String guid) {
    synchronized (state.lock) {
      return provisioning.describe(provisioning.record(guid));
    }
  }

  /**
   * Ends every open session of a unit (an arranger wiped it).
   *
   * @param guid the instance GUID
   * @param unitId the unit
   */
  void endSessions(String guid, String unitId) {
    state.sessions.endUnit(guid, unitId);
  }

  /**
   * Builds {@link InMemoryDedicatedCloud}s; the setters and their defaults are described on each
   * method. Not thread-safe.
   */
  public static final class Builder extends CloudBuilderBase<Builder> {
    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the cloud.
     *
     * @return the cloud
     */
    public InMemoryDedicatedCloud build() {
      return new InMemoryDedicatedCloud(settings());
    }
  }
}
