package io.kpdedicated.testkit;

import io.kpdedicated.core.Sleeper;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of one {@link InMemoryDedicatedCloud}, as its builder validated them.
 *
 * @param clock the clock for signature windows and provisioning time
 * @param sleeper the sleeper for injected latency
 * @param secureRandom randomness for import keys
 * @param seed the seed for instance and unit ids
 * @param provisioningPolls reads until an instance is active (when {@code provisioningTime} is null)
 * @param provisioningTime time until an instance is active, or null to count polls
 * @param unitsPerInstance units per instance, or 0 to follow the request
 * @param accountId the account in CRNs
 * @param regions the regions served
 * @param signatureWindow how far a signature timestamp may be from the unit's clock
 * @param importKeyPool pre-made RSA import keys, or empty to generate
 * @param importKeyBits size of generated import keys
 * @param cryptoUserName the {@code kmsCryptoUser} name
 * @param cryptoUserSlot the {@code kmsCryptoUser} slot
 * @param sessionIdleTimeout how long an HSM session may stay unused
 * @param maxSessionsPerUnit the most open HSM sessions per unit
 * @param maxSessions the most open HSM sessions in the cloud
 */
record CloudSettings(Clock clock, Sleeper sleeper, SecureRandom secureRandom, long seed,
    int provisioningPolls, Duration provisioningTime, int unitsPerInstance, String accountId,
    Set<String> regions, Duration signatureWindow, List<KeyPair> importKeyPool, int importKeyBits,
    String cryptoUserName, int cryptoUserSlot, Duration sessionIdleTimeout,
    int maxSessionsPerUnit, int maxSessions) {
  CloudSettings {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(secureRandom, "secureRandom");
    Objects.requireNonNull(accountId, "accountId");
    regions = Set.copyOf(regions);
    Objects.requireNonNull(signatureWindow, "signatureWindow");
    importKeyPool = List.copyOf(importKeyPool);
    Objects.requireNonNull(cryptoUserName, "cryptoUserName");
    Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
    if (maxSessionsPerUnit < 1 || maxSessions < maxSessionsPerUnit) {
      throw new IllegalArgumentException("session limits need 1 <= perUnit <= total");
    }
  }

  /** {@return whether a new instance is active at once} */
  boolean activeAtOnce() {
    return provisioningPolls == 0 && provisioningTime == null;
  }
}
