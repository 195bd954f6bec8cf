package io.kpdedicated.testkit;

import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.model.InstanceRequest;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The settings half of {@link InMemoryDedicatedCloud.Builder}: every setter validates where the
 * value enters. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class CloudBuilderBase<B extends CloudBuilderBase<B>> {
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
  private Duration sessionIdleTimeout = Duration.ofMinutes(5);
  private int maxSessionsPerUnit = 16;
  private int maxSessions = 256;

  /**
   * Sets the clock for signature timestamps and time-based provisioning (default: system UTC).
   *
   * @param clock the clock
   * @return this builder
   */
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Sets how injected latency waits (default: {@link Sleeper#SYSTEM}, really sleeping). Tests pass
   * a fake that advances a fake clock.
   *
   * @param sleeper the sleeper
   * @return this builder
   */
  public B sleeper(Sleeper sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return self();
  }

  /**
   * Sets the seed of the generator for GUIDs and unit ids (default 42), so runs are repeatable.
   *
   * @param seed the seed
   * @return this builder
   */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  /**
   * Sets the randomness for the units' import keys (default: a new {@link SecureRandom}).
   *
   * @param random the source
   * @return this builder
   */
  public B secureRandom(SecureRandom random) {
    this.secureRandom = Objects.requireNonNull(random, "random");
    return self();
  }

  /**
   * Makes a new instance active on its {@code polls}-th read with {@code getInstance} (default 2;
   * 0 makes it active at once). Replaces {@link #provisioningTime}.
   *
   * @param polls 0 or more
   * @return this builder
   */
  public B provisioningPolls(int polls) {
    if (polls < 0) {
      throw new IllegalArgumentException("polls must be 0 or more, got " + polls);
    }
    this.provisioningPolls = polls;
    this.provisioningTime = null;
    return self();
  }

  /**
   * Makes a new instance active once {@code time} has passed on the cloud's clock. Replaces
   * {@link #provisioningPolls}.
   *
   * @param time not negative
   * @return this builder
   */
  public B provisioningTime(Duration time) {
    Objects.requireNonNull(time, "time");
    if (time.isNegative()) {
      throw new IllegalArgumentException("provisioning time must not be negative");
    }
    this.provisioningTime = time;
    return self();
  }

  /**
   * Gives every new instance this many crypto units whatever the request says (default: the
   * request's count, 2 or 3). For benchmarks and tests of large instances; the real service
   * offers 2 or 3 only.
   *
   * @param units 1 to 256, or 0 to follow the request
   * @return this builder
   */
  public B unitsPerInstance(int units) {
    if (units < 0 || units > 256) {
      throw new IllegalArgumentException("units must be 0 (follow the request) to 256, got "
          + units);
    }
    this.unitsPerInstance = units;
    return self();
  }

  /**
   * Sets the account id that appears in instance CRNs.
   *
   * @param accountId not blank, no colon
   * @return this builder
   */
  public B accountId(String accountId) {
    Objects.requireNonNull(accountId, "accountId");
    if (accountId.isBlank() || accountId.contains(":")) {
      throw new IllegalArgumentException("accountId must be non-blank and free of ':'");
    }
    this.accountId = accountId;
    return self();
  }

  /**
   * Sets the regions where instances can be created (default: {@code us-south} only).
   *
   * @param regions at least one
   * @return this builder
   */
  public B regions(Set<String> regions) {
    if (Objects.requireNonNull(regions, "regions").isEmpty()) {
      throw new IllegalArgumentException("regions must not be empty");
    }
    this.regions = Set.copyOf(regions);
    return self();
  }

  /**
   * Sets how far a signed command's timestamp may be from the cloud's clock (default 5 minutes).
   *
   * @param window positive
   * @return this builder
   */
  public B signatureWindow(Duration window) {
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive");
    }
    this.signatureWindow = window;
    return self();
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
  public B importKeyPairs(List<KeyPair> pool) {
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
    return self();
  }

  /**
   * Sets the size of generated import keys (default 2048).
   *
   * @param bits 1024 to 4096
   * @return this builder
   */
  public B importKeyBits(int bits) {
    if (bits < 1024 || bits > 4096) {
      throw new IllegalArgumentException("bits must be 1024..4096, got " + bits);
    }
    this.importKeyBits = bits;
    return self();
  }

  /**
   * Sets the {@code kmsCryptoUser} name and slot of the crypto-user metadata (default
   * {@code kmsCryptoUser}, slot 1).
   *
   * @param userName not blank
   * @param slot 0..9999
   * @return this builder
   */
  public B cryptoUser(String userName, int slot) {
    Objects.requireNonNull(userName, "userName");
    if (userName.isBlank() || slot < 0 || slot > 9999) {
      throw new IllegalArgumentException("userName must be non-blank and slot 0..9999");
    }
    this.cryptoUserName = userName;
    this.cryptoUserSlot = slot;
    return self();
  }

  /**
   * Sets how long an HSM session may stay unused before it ends (default 5 minutes), on the
   * cloud's clock. Applies to sessions opened in process and over the loopback emulator alike.
   *
   * @param timeout a positive duration
   * @return this builder
   * @throws IllegalArgumentException for zero or a negative duration
   */
  public B sessionIdleTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("sessionIdleTimeout must be positive, got " + timeout);
    }
    this.sessionIdleTimeout = timeout;
    return self();
  }

  /**
   * Sets the most open HSM sessions per crypto unit (default 16; one more is refused with
   * {@code 429 TOO_MANY_SESSIONS}) and in the whole cloud (default 256; one more is refused with
   * {@code 503 SESSION_LIMIT_REACHED}). Both refusals carry a {@code Retry-After}.
   *
   * @param perUnit the most per unit, at least 1
   * @param total the most in all, at least {@code perUnit} and at most 100000
   * @return this builder
   * @throws IllegalArgumentException for other values
   */
  public B maxSessions(int perUnit, int total) {
    if (perUnit < 1 || total < perUnit || total > 100_000) {
      throw new IllegalArgumentException("maxSessions needs 1 <= perUnit <= total <= 100000, got "
          + perUnit + " and " + total);
    }
    this.maxSessionsPerUnit = perUnit;
    this.maxSessions = total;
    return self();
  }

  /** {@return this builder, typed as the concrete one} */
  abstract B self();

  /** {@return the validated settings} */
  CloudSettings settings() {
  return new CloudSettings(clock, sleeper,
      secureRandom != null ? secureRandom : new SecureRandom(), seed, provisioningPolls,
      provisioningTime, unitsPerInstance, accountId, regions, signatureWindow, importKeyPool,
      importKeyBits, cryptoUserName, cryptoUserSlot, sessionIdleTimeout, maxSessionsPerUnit,
      maxSessions);
  }
}
