package io.kpdedicated.testkit.emulator;

import io.kpdedicated.core.Sleeper;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings half of {@link LoopbackEmulator.Builder}: every setter validates where the value
 * enters, and the emulator reads the settings back when it is built. Settings of the cloud the
 * emulator builds itself (clock, sleeper, provisioning, session limits) conflict with a cloud
 * passed to {@link #cloud}. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class EmulatorBuilderBase<B extends EmulatorBuilderBase<B>> {
  private int port;
  private String apiKey;
  private InMemoryDedicatedCloud cloud;
  /** The emulator's own cloud: the cloud settings go there, validated by the cloud's builder. */
  private final InMemoryDedicatedCloud.Builder ownCloud = InMemoryDedicatedCloud.builder();
  private Duration tokenLifetime = Duration.ofHours(1);
  private int threads = 64;
  private Duration requestReadTimeout = Duration.ofSeconds(10);
  private boolean cloudSettings;

  /** Creates the settings with their defaults. */
  EmulatorBuilderBase() {}

  /**
   * Sets the port (default 0: any free port).
   *
   * @param port the port on {@code 127.0.0.1}, 0 for any free port
   * @return this builder
   */
  public B port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    this.port = port;
    return self();
  }

  /**
   * Sets the API key tokens are issued for (default: a random test key).
   *
   * @param apiKey the IBM Cloud API key; copied, so the caller may wipe its array
   * @return this builder
   */
  public B apiKey(String apiKey) {
    Objects.requireNonNull(apiKey, "apiKey");
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    this.apiKey = apiKey;
    return self();
  }

  /**
   * Serves an existing cloud (to share its fault queue, key pool or clock). Conflicts with
   * {@link #clock}, {@link #sleeper}, {@link #provisioningTime} and {@link #provisioningPolls},
   * which configure a cloud the emulator builds itself.
   *
   * @param cloud the cloud to serve
   * @return this builder
   */
  public B cloud(InMemoryDedicatedCloud cloud) {
    this.cloud = Objects.requireNonNull(cloud, "cloud");
    return self();
  }

  /**
   * Sets the clock of the cloud and of token expiry (default: system UTC).
   *
   * @param clock the clock
   * @return this builder
   */
  public B clock(Clock clock) {
    ownCloud.clock(clock);
    return cloudSetting();
  }

  /**
   * Sets how injected latency waits (default: really sleeping).
   *
   * @param sleeper the sleeper that injected latency waits on
   * @return this builder
   */
  public B sleeper(Sleeper sleeper) {
    ownCloud.sleeper(sleeper);
    return cloudSetting();
  }

  /**
   * Makes new instances active after this much time on the clock.
   *
   * @param time the provisioning time, zero or positive
   * @return this builder
   */
  public B provisioningTime(Duration time) {
    ownCloud.provisioningTime(time);
    return cloudSetting();
  }

  /**
   * Makes new instances active on their n-th read (default 2; 0: at once).
   *
   * @param polls the number of reads before an instance is active, 0 or more
   * @return this builder
   */
  public B provisioningPolls(int polls) {
    ownCloud.provisioningPolls(polls);
    return cloudSetting();
  }

  /**
   * Sets how long issued tokens live (default 1 hour).
   *
   * @param lifetime the token lifetime, positive
   * @return this builder
   */
  public B tokenLifetime(Duration lifetime) {
    Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("tokenLifetime must be positive");
    }
    this.tokenLifetime = lifetime;
    return self();
  }

  /**
   * Sets the most request threads (default 64). A connection holds a thread from its first byte
   * until its request is read (at most {@link #requestReadTimeout}) and while it is served; idle
   * keep-alive connections hold none. When every thread is busy, up to 256 connections wait;
   * further ones are closed at once.
   *
   * @param threads 1 to 256
   * @return this builder
   * @throws IllegalArgumentException for another number
   */
  public B threads(int threads) {
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("threads must be 1..256");
    }
    this.threads = threads;
    return self();
  }

  /**
   * Sets how long a client may take to send a whole request (request line, headers and body)
   * once its first byte arrived (default 10 s); a slower one has its connection closed, so a
   * half-sent request cannot hold a thread. Measured on the machine's clock, not the cloud's.
   *
   * @param timeout 1 ms to 10 minutes
   * @return this builder
   * @throws IllegalArgumentException for a timeout outside that range
   */
  public B requestReadTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("requestReadTimeout must be 1 ms to 10 minutes, got "
          + timeout);
    }
    this.requestReadTimeout = timeout;
    return self();
  }

  /**
   * Sets how long an HSM session may stay unused before it is gone (default 5 minutes), on the
   * cloud's clock. A setting of the cloud the emulator builds (its one session registry serves
   * in-process and HTTP sessions alike); for a cloud passed to {@link #cloud}, set it on that
   * cloud's builder.
   *
   * @param timeout a positive duration
   * @return this builder
   * @throws IllegalArgumentException for zero or a negative duration
   */
  public B sessionIdleTimeout(Duration timeout) {
    ownCloud.sessionIdleTimeout(timeout);
    return cloudSetting();
  }

  /**
   * Sets the most open sessions per crypto unit (default 16; one more is answered {@code 429
   * TOO_MANY_SESSIONS}) and in the whole emulator (default 256; one more is answered {@code 503
   * SESSION_LIMIT_REACHED}). A setting of the cloud the emulator builds; for a cloud passed to
   * {@link #cloud}, set it on that cloud's builder.
   *
   * @param perUnit the most per unit, at least 1
   * @param total the most in all, at least {@code perUnit} and at most 100000
   * @return this builder
   * @throws IllegalArgumentException for other values
   */
  public B maxSessions(int perUnit, int total) {
    ownCloud.maxSessions(perUnit, total);
    return cloudSetting();
  }

  private B cloudSetting() {
    cloudSettings = true;
    return self();
  }

  /** {@return this builder, typed as the concrete one} */
  abstract B self();

  /**
   * Refuses settings that contradict each other.
   *
   * @throws IllegalStateException if a cloud was given together with cloud settings
   */
  void checkSettings() {
    if (cloud != null && cloudSettings) {
      throw new IllegalStateException("clock, sleeper, provisioning and session settings configure"
          + " the emulator's own cloud; set them on the InMemoryDedicatedCloud you pass to"
          + " cloud(..) instead");
    }
  }

  /** {@return the cloud given, or a new one built from the cloud settings} */
  InMemoryDedicatedCloud cloudOrBuild() {
    return cloud != null ? cloud : ownCloud.build();
  }

  /** {@return the port, 0 for any free one} */
  int port() {
    return port;
  }

  /** {@return the API key, or null for a random one} */
  String apiKey() {
    return apiKey;
  }

  /** {@return how long issued tokens live} */
  Duration tokenLifetime() {
    return tokenLifetime;
  }

  /** {@return the most request threads} */
  int threads() {
    return threads;
  }

  /** {@return how long a client may take to send a request} */
  Duration requestReadTimeout() {
    return requestReadTimeout;
  }
}
