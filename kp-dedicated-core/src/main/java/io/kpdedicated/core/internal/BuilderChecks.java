package io.kpdedicated.core.internal;

import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationListener;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.crypto.KdfParameters;
import io.kpdedicated.crypto.KeyshareLocation;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The checks of {@link io.kpdedicated.core.DedicatedInitializer.Builder}: what its setters and
 * {@code build()} validate, with messages that say how to fix the setting. Stateless.
 */
public final class BuilderChecks {
  private BuilderChecks() {}

  /**
   * Checks and normalizes supported region ids.
   *
   * @param regions the ids
   * @return a lower-case copy
   * @throws IllegalArgumentException if the set is empty or holds a blank id
   */
  public static Set<String> regions(Set<String> regions) {
    Objects.requireNonNull(regions, "supportedRegions");
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("supportedRegions must name at least one region");
    }
    Set<String> copy = new LinkedHashSet<>();
    for (String region : regions) {
      Objects.requireNonNull(region, "supportedRegions element");
      if (region.isBlank()) {
        throw new IllegalArgumentException("supportedRegions must not hold a blank region id");
      }
      copy.add(region.trim().toLowerCase(Locale.ROOT));
    }
    return Set.copyOf(copy);
  }

  /**
   * Checks targeted unit ids.
   *
   * @param unitIds the ids
   * @return a copy
   * @throws IllegalArgumentException if the set is empty or holds a blank id
   */
  public static Set<String> targets(Set<String> unitIds) {
    Objects.requireNonNull(unitIds, "targetUnits");
    if (unitIds.isEmpty()) {
      throw new IllegalArgumentException(
          "targetUnits must name at least one unit (leave it unset to target every unit)");
    }
    for (String id : unitIds) {
      Objects.requireNonNull(id, "targetUnits element");
      if (id.isBlank()) {
        throw new IllegalArgumentException("targetUnits must not hold a blank unit id");
      }
    }
    return Set.copyOf(unitIds);
  }

  /**
   * Checks that the required settings are there and consistent, and builds the settings.
   *
   * @param transport the transport, or null when not set
   * @param instance which instance, or null when not set
   * @param adminIdentity the identity source, or null when not set
   * @param masterKey the key source, or null when not set
   * @param kdfCost the cost
   * @param keyshareKdf a keyshare KDF from write options, or null
   * @param regions the supported regions
   * @param retryConfig the retry configuration, or null for the default policy
   * @param retryRegistry the registry, or null for a new one
   * @param waitPolicy how to wait for active
   * @param maintenancePolicy how to wait for maintenance
   * @param concurrency the most units at once
   * @param targets the targeted units, or null
   * @param listener the listener
   * @param clock the clock
   * @param sleeper the sleeper
   * @param random the randomness, or null for a new one
   * @param allowPrivate whether a private-only endpoint is acceptable
   * @return the settings
   * @throws IllegalStateException naming the missing or conflicting setting and how to fix it
   */
  public static InitializerSettings settings(DedicatedTransport transport,
      InstanceSelector instance, AdminIdentitySource adminIdentity, MasterKeySource masterKey,
      KdfCost kdfCost, KdfParameters keyshareKdf, Set<String> regions, RetryConfig retryConfig,
      RetryRegistry retryRegistry, WaitPolicy waitPolicy, WaitPolicy maintenancePolicy,
      int concurrency, Set<String> targets, InitializationListener listener, Clock clock,
      Sleeper sleeper, SecureRandom random, boolean allowPrivate) {
    require(transport, "transport is not set: call transport(...) with a DedicatedTransport (the"
        + " REST transport of kp-dedicated-http, or the in-memory transport of"
        + " kp-dedicated-testkit)");
    require(instance, "instance is not set: call instance(...) with"
        + " InstanceSelector.createOrReuse(request), InstanceSelector.existing(id) or"
        + " InstanceSelector.target(endpoint)");
    require(adminIdentity, "adminIdentity is not set: call adminIdentity(...) with"
        + " AdminIdentitySource.generate(file, passphrase, name), .load(file, passphrase) or"
        + " .of(signer)");
    require(masterKey, "masterKey is not set: call masterKey(...) with"
        + " MasterKeySource.generate(name, minimum, targets) or .existing(shares)");
    KdfCost cost = kdfCost;
    if (keyshareKdf != null) {
      try {
        cost = cost.withKeyshareKdf(keyshareKdf);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("keyshareWriteOptions: " + e.getMessage(), e);
      }
    }
    if (instance instanceof InstanceSelector.CreateOrReuse c) {
      String region = c.request().region().trim().toLowerCase(Locale.ROOT);
      if (!regions.contains(region)) {
        throw new IllegalStateException("region '" + c.request().region() + "' is not supported"
            + " by Key Protect Dedicated (supported: " + String.join(", ",
                regions.stream().sorted().toList()) + "); choose a supported region, or"
            + " call supportedRegions(...) if IBM has added it");
      }
    }
    Path identityFile = adminIdentity instanceof AdminIdentitySource.Generate g ? g.file()
        : adminIdentity instanceof AdminIdentitySource.Load l ? l.file() : null;
    if (identityFile != null) {
      Path normalized = identityFile.toAbsolutePath().normalize();
      for (KeyshareLocation location : masterKey.locations()) {
        if (location.path().toAbsolutePath().normalize().equals(normalized)) {
          throw new IllegalStateException("the admin identity file and a keyshare file are the"
              + " same file (" + normalized + "); give each its own path");
        }
      }
    }
    return new InitializerSettings(transport, instance, adminIdentity, masterKey, cost, regions,
        retryConfig != null ? retryConfig : RetryPolicy.defaults().toRetryConfig(),
        retryRegistry != null ? retryRegistry : RetryRegistry.ofDefaults(),
        waitPolicy, maintenancePolicy, concurrency, targets, listener, clock, sleeper,
        random == null ? new SecureRandom() : random, allowPrivate);
  }

  private static void require(Object value, String message) {
    if (value == null) {
      throw new IllegalStateException(message);
    }
  }
}
