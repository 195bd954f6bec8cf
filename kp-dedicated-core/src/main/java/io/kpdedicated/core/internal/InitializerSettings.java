package io.kpdedicated.core.internal;

import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationListener;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.spi.DedicatedTransport;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;

/**
 * The validated settings of an initializer. Internal: built by
 * {@link io.kpdedicated.core.DedicatedInitializer.Builder}.
 *
 * @param transport the transport
 * @param instance which instance
 * @param adminIdentity where the admin key comes from
 * @param masterKey where the master key comes from
 * @param kdfCost how expensive the protection of new key files is
 * @param supportedRegions the supported regions
 * @param retryConfig the Resilience4j configuration calls are retried with
 * @param retryRegistry where the Resilience4j retries come from
 * @param waitPolicy how to wait for active
 * @param maintenanceWaitPolicy how to wait for a unit in maintenance
 * @param concurrency the most units worked on at once
 * @param targetUnits the targeted unit ids, or {@code null} for all
 * @param listener the progress listener
 * @param clock the clock
 * @param sleeper the sleeper
 * @param random the randomness
 * @param allowPrivateEndpoint whether a private-only endpoint is acceptable
 */
public record InitializerSettings(
    DedicatedTransport transport,
    InstanceSelector instance,
    AdminIdentitySource adminIdentity,
    MasterKeySource masterKey,
    KdfCost kdfCost,
    Set<String> supportedRegions,
    RetryConfig retryConfig,
    RetryRegistry retryRegistry,
    WaitPolicy waitPolicy,
    WaitPolicy maintenanceWaitPolicy,
    int concurrency,
    Set<String> targetUnits,
    InitializationListener listener,
    Clock clock,
    Sleeper sleeper,
    SecureRandom random,
    boolean allowPrivateEndpoint) {

  /** The default upper bound on units worked on at once. */
  public static final int DEFAULT_MAX_CONCURRENCY = 8;
  /** The largest concurrency accepted. */
  public static final int MAX_CONCURRENCY = 64;

  /** Validates the required fields. */
  public InitializerSettings {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(adminIdentity, "adminIdentity");
    Objects.requireNonNull(masterKey, "masterKey");
    Objects.requireNonNull(supportedRegions, "supportedRegions");
    Objects.requireNonNull(kdfCost, "kdfCost");
    Objects.requireNonNull(retryConfig, "retryConfig");
    Objects.requireNonNull(retryRegistry, "retryRegistry");
    Objects.requireNonNull(waitPolicy, "waitPolicy");
    Objects.requireNonNull(maintenanceWaitPolicy, "maintenanceWaitPolicy");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(random, "random");
  }

  @Override
  public String toString() {
    return "InitializerSettings[instance=" + instance + ", concurrency=" + concurrency + "]";
  }
}
