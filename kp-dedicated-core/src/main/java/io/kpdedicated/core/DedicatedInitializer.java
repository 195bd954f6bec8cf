package io.kpdedicated.core;

import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.kpdedicated.core.internal.BuilderChecks;
import io.kpdedicated.core.internal.InitializerSettings;
import io.kpdedicated.core.internal.Reconciler;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;

/**
 * Takes a Key Protect Dedicated instance from nothing to "every crypto unit is
 * {@code kms-initialized} with the same master key".
 *
 * <p>It is a reconciler: {@link #run()} reads the live state of the instance and of every crypto
 * unit and does only what each still needs, so running it again after any failure or crash
 * continues where things stopped and never repeats a finished step. {@link #plan()} reports what
 * {@code run()} would do without changing anything.
 *
 * <pre>{@code
 * DedicatedInitializer init = DedicatedInitializer.builder()
 *     .transport(transport)
 *     .instance(InstanceSelector.createOrReuse(InstanceRequest.named("kpd-prod")))
 *     .adminIdentity(AdminIdentitySource.generate(Path.of("admin.p12"), adminPassphrase, "admin1"))
 *     .masterKey(MasterKeySource.generate("mk1", 2, List.of(share1, share2, share3)))
 *     .listener(event -> System.out.println(event))
 *     .build();
 * InitializationResult result = init.run();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; {@code run()} and {@code plan()} may be called any
 * number of times, also concurrently (concurrent runs against the same instance are safe but
 * wasteful: each may see the other's progress as "already done").
 */
public final class DedicatedInitializer {
  private final InitializerSettings settings;

  private DedicatedInitializer(InitializerSettings settings) {
    this.settings = settings;
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Initializes the instance. In this order: prepare the administrator credential and the
   * keyshares (local files first, so a wrong passphrase fails before anything is created); find or
   * create the instance, wait until it is active, resolve its endpoint; list the units; read the
   * key check values of every unit that holds a key and refuse to load a second key; then claim,
   * load the master key into and add the {@code kmsCryptoUser} to every targeted unit that still
   * needs it; finally verify that every unit of the instance holds the same key. See the core
   * README for the exception contract.
   *
   * @return every unit's outcome, when no unit failed
   * @throws PartialFailureException if some units failed or hold another master key; it carries
   *     the result, the other units keep their progress, and {@code retryable()} says whether
   *     running again can finish them
   * @throws MasterKeyConflictException if the final check finds more than one key on the
   *     instance (a concurrent run raced this one); not retryable
   * @throws WaitTimeoutException if the instance did not become active in time (retryable)
   * @throws InstanceFailedException if the instance failed or was removed (not retryable)
   * @throws InitializationException if a precondition does not hold (the message says which;
   *     {@code retryable()} says whether running again can help)
   * @throws io.kpdedicated.crypto.KeyFileException if a keyshare or identity file is refused, in
   *     every mode (not retryable until the file or passphrase changes)
   * @throws io.kpdedicated.core.spi.ServiceException if an instance-level call (find, create or
   *     read the instance, list the units) failed after retries; {@code retryable()} tells
   * @throws io.kpdedicated.core.spi.TransportException if an instance-level call got no usable
   *     answer after retries; {@code retryable()} tells
   */
  public InitializationResult run() {
    return new Reconciler(settings).run();
  }

  /**
   * Reports what {@link #run()} would do, per unit and for the instance, without changing anything:
   * it is the run itself over a transport that reads but records changes instead of making them.
   * No instance is created, no file written, no unit changed; key check values and users are read
   * through read-only session calls. Failures that would stop the run become the plan's problems;
   * units that would fail say why. Retry events of the read calls are published.
   *
   * @return the plan
   */
  public InitializationPlan plan() {
    return new Reconciler(settings).plan();
  }

  /**
   * Returns the Resilience4j registry the retries come from (the one given to the builder, or the
   * initializer's own): one {@code Retry} per step, named {@code kp-dedicated-<step>} (for example
   * {@code kp-dedicated-import-master-key}), for metrics and event consumers.
   *
   * @return the registry
   */
  public RetryRegistry retryRegistry() {
    return settings.retryRegistry();
  }

  @Override
  public String toString() {
    return "DedicatedInitializer[instance=" + settings.instance() + ", concurrency="
        + settings.concurrency() + "]";
  }

  /**
   * Builds {@link DedicatedInitializer}s. Setters reject {@code null} at once; {@link #build()}
   * reports missing or conflicting settings. Not thread-safe.
   */
  public static final class Builder {
    private DedicatedTransport transport;
    private InstanceSelector instance;
    private AdminIdentitySource adminIdentity;
    private MasterKeySource masterKey;
    private KdfCost kdfCost = KdfCost.defaults();
    private KeyshareWriteOptions keyshareWriteOptions;
    private Set<String> supportedRegions = Set.of(InstanceRequest.DEFAULT_REGION);
    private RetryConfig retryConfig;
    private RetryRegistry retryRegistry;
    private WaitPolicy waitPolicy = WaitPolicy.provisioningDefaults();
    private WaitPolicy maintenanceWaitPolicy = WaitPolicy.maintenanceDefaults();
    private int concurrency = InitializerSettings.DEFAULT_MAX_CONCURRENCY;
    private Set<String> targetUnits;
    private InitializationListener listener = InitializationListener.NONE;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private SecureRandom random;
    private boolean allowPrivateEndpoint;

    private Builder() {}

    /**
     * Sets how the initializer reaches the service. Required.
     *
     * @param transport the transport (REST, in-memory, or a decorator of either)
     * @return this builder
     */
    public Builder transport(DedicatedTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Sets which instance to initialize. Required.
     *
     * @param instance create-or-reuse by name, an existing id, or a known endpoint
     * @return this builder
     */
    public Builder instance(InstanceSelector instance) {
      this.instance = Objects.requireNonNull(instance, "instance");
      return this;
    }

    /**
     * Sets where the administrator signature key comes from. Required.
     *
     * @param adminIdentity generate (or reuse the file of an earlier run), load, or a given signer
     * @return this builder
     */
    public Builder adminIdentity(AdminIdentitySource adminIdentity) {
      this.adminIdentity = Objects.requireNonNull(adminIdentity, "adminIdentity");
      return this;
    }

    /**
     * Sets where the master key comes from. Required.
     *
     * @param masterKey generate into new keyshares (or reuse a complete earlier set), or existing
     *     keyshares
     * @return this builder
     */
    public Builder masterKey(MasterKeySource masterKey) {
      this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
      return this;
    }

    /**
     * Sets the KDF of new keyshare files from write options (only their KDF is used). Optional;
     * the same as {@code kdfCost(kdfCost.withKeyshareKdf(options.kdf()))}, checked against the
     * floor in {@link #build()}.
     *
     * @param options the options
     * @return this builder
     */
    public Builder keyshareWriteOptions(KeyshareWriteOptions options) {
      this.keyshareWriteOptions = Objects.requireNonNull(options, "keyshareWriteOptions");
      return this;
    }

    /**
     * Sets how expensive the protection of new key files is (the generated identity's PBKDF2
     * iterations, the keyshares' KDF). Default {@link KdfCost#defaults()}; tests may pass
     * {@link KdfCost#forTestsOnly()}.
     *
     * @param cost the cost
     * @return this builder
     */
    public Builder kdfCost(KdfCost cost) {
      this.kdfCost = Objects.requireNonNull(cost, "kdfCost");
      return this;
    }

    /**
     * Sets the regions Key Protect Dedicated supports. Default {@code us-south}, the only one
     * today. A create-or-reuse request for another region is refused by {@link #build()}.
     *
     * @param regions region ids, at least one (copied)
     * @return this builder
     * @throws IllegalArgumentException if the set is empty or holds a blank id
     */
    public Builder supportedRegions(Set<String> regions) {
      this.supportedRegions = BuilderChecks.regions(regions);
      return this;
    }

    /**
     * Sets how retryable failures are retried, as a policy; the same as
     * {@code retryConfig(policy.toRetryConfig())} (the last of the two calls wins). Default
     * {@link RetryPolicy#defaults()}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryConfig = Objects.requireNonNull(policy, "retryPolicy").toRetryConfig();
      return this;
    }

    /**
     * Sets the Resilience4j configuration calls are retried with. Every setting is kept (maximum
     * attempts, exception and result predicates, fail-after-max-attempts, consumers, interval
     * function), with two additions: only failures that are
     * {@link io.kpdedicated.KpDedicatedException#retryable() retryable} are retried, and a wait is
     * never shorter than a service's {@code Retry-After}. Waits go through the injected
     * {@link Sleeper}. Default {@code RetryPolicy.defaults().toRetryConfig()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder retryConfig(RetryConfig config) {
      this.retryConfig = Objects.requireNonNull(config, "retryConfig");
      return this;
    }

    /**
     * Sets the registry the Resilience4j retries are taken from (for metrics, event consumers,
     * tags). Default: a new registry per initializer, reachable through
     * {@link DedicatedInitializer#retryRegistry()}.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder retryRegistry(RetryRegistry registry) {
      this.retryRegistry = Objects.requireNonNull(registry, "retryRegistry");
      return this;
    }

    /**
     * Sets how to wait for the instance to become active. Default
     * {@link WaitPolicy#provisioningDefaults()}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder waitPolicy(WaitPolicy policy) {
      this.waitPolicy = Objects.requireNonNull(policy, "waitPolicy");
      return this;
    }

    /**
     * Sets how long to wait for a unit in {@code maintenance}, each unit with its own budget.
     * Default {@link WaitPolicy#maintenanceDefaults()}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder maintenanceWaitPolicy(WaitPolicy policy) {
      this.maintenanceWaitPolicy = Objects.requireNonNull(policy, "maintenanceWaitPolicy");
      return this;
    }

    /**
     * Sets how many units are worked on at once. Default: all units, at most 8.
     *
     * @param concurrency 1 to 64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1 || concurrency > InitializerSettings.MAX_CONCURRENCY) {
        throw new IllegalArgumentException("concurrency must be 1 to "
            + InitializerSettings.MAX_CONCURRENCY + ", got " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Limits the work to some units; the others are reported as
     * {@link UnitOutcome.Status#NOT_TARGETED} and left alone. Default: every unit. A unit id the
     * instance does not have fails the run before any unit is touched.
     *
     * @param unitIds the unit ids, at least one (copied)
     * @return this builder
     * @throws IllegalArgumentException if the set is empty or holds a blank id
     */
    public Builder targetUnits(Set<String> unitIds) {
      this.targetUnits = BuilderChecks.targets(unitIds);
      return this;
    }

    /**
     * Sets the progress listener. Default: none.
     *
     * @param listener receives events one at a time; its exceptions are logged and ignored
     * @return this builder
     */
    public Builder listener(InitializationListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets the clock for timeouts. Default: the system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how the initializer waits (backoff, polling). Default {@link Sleeper#SYSTEM}; tests pass a
     * fake that advances a fake clock.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets the randomness for keys, identities and retry jitter. Default: a new
     * {@link SecureRandom}.
     *
     * @param random the source
     * @return this builder
     */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Allows using an instance that reports only a private endpoint ({@code .api.private.}); only
     * useful when running inside IBM Cloud's private network. Default false: such an instance fails
     * the run with a hint.
     *
     * @param allow whether to allow it
     * @return this builder
     */
    public Builder allowPrivateEndpoint(boolean allow) {
      this.allowPrivateEndpoint = allow;
      return this;
    }

    /**
     * Validates the settings and builds the initializer.
     *
     * @return the initializer
     * @throws IllegalStateException if a required setting is missing or settings conflict (the
     *     message says how to fix it)
     */
    public DedicatedInitializer build() {
      return new DedicatedInitializer(BuilderChecks.settings(transport, instance, adminIdentity,
          masterKey, kdfCost, keyshareWriteOptions == null ? null : keyshareWriteOptions.kdf(),
          supportedRegions, retryConfig, retryRegistry, waitPolicy, maintenanceWaitPolicy,
          concurrency, targetUnits, listener, clock, sleeper, random, allowPrivateEndpoint));
    }
  }
}
