package io.kpdedicated.testkit;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.Sleeper;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.http.HttpTransport;
import io.kpdedicated.testkit.emulator.LoopbackEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A ready-made world for a test of code that initializes an instance: one {@link ManualClock} and
 * its sleeper, wired into both an {@link InMemoryDedicatedCloud} and every
 * {@link DedicatedInitializer} it builds, so provisioning polls, retry backoff and injected latency
 * take no real time; RSA keys made in advance and shipped with the test kit (the units' import
 * keys and the administrator's) instead of new keys per test; and the cheapest KDF cost for
 * keyshare files.
 *
 * <pre>{@code
 * Testbed bed = Testbed.inMemory(3, dir);
 * InitializationResult result = bed.initializer().run();
 * assertThat(result.units()).allMatch(unit -> unit.finalState() == UnitState.KMS_INITIALIZED);
 * }</pre>
 *
 * <p>The same over real HTTP: {@link #overEmulator(int, Path)} serves the cloud through a
 * {@link LoopbackEmulator} on a free loopback port and gives the initializer an
 * {@link HttpTransport} on the same clock; close the testbed to stop the emulator.
 *
 * <p>What is wired, and how to change it:
 *
 * <ul>
 *   <li>the instance: {@link #request()}, named {@value #DEFAULT_INSTANCE_NAME} unless
 *       {@link Builder#instanceName} says otherwise, with the unit count given, created or reused;
 *   <li>the administrator and the units' import keys: RSA-2048 keys shipped with the test kit,
 *       so no key is generated;
 *   <li>the master key: {@value #KEY_NAME}, three keyshare files in {@link #directory()}, any two of
 *       which rebuild it ({@link #shares()});
 *   <li>the KDF cost: {@link KdfCost#forTestsOnly()} when the system property
 *       {@value KdfCost#TEST_PROPERTY} is {@code true} (set it in the test JVM), else
 *       {@link KdfCost#defaults()}, slower but still correct;
 *   <li>the clock and sleeper: {@link #clock()} and its {@link ManualClock#sleeper()} everywhere;
 *   <li>anything else: {@link #initializer(Consumer)} or {@link #initializerBuilder()} hand out the
 *       pre-wired builder to adjust.
 * </ul>
 *
 * <p>Thread-safe: every method may be called from any thread; the initializers it builds are
 * immutable and thread-safe.
 */
public final class Testbed implements AutoCloseable {
  /** The instance name unless the builder sets another. */
  public static final String DEFAULT_INSTANCE_NAME = "kp-test";
  /**
   * How long a session may stay idle on the manual clock (the cloud's default is 5 minutes): one
   * unit's waits move the shared clock at once, so shorter limits would end other units' sessions
   * in the middle of a run.
   */
  public static final Duration SESSION_IDLE_TIMEOUT = Duration.ofDays(1);
  /** The master key's name. */
  public static final String KEY_NAME = "mk1";
  /** The time the clock starts at unless the builder sets another. */
  public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

  private final ManualClock clock;
  private final InMemoryDedicatedCloud cloud;
  private final LoopbackEmulator emulator;
  private final DedicatedTransport transport;
  private final InstanceRequest request;
  private final Path directory;
  private final boolean ownsDirectory;
  private final List<KeyshareLocation> shares;
  private final KdfCost kdfCost;

  private Testbed(Builder b, Path directory, boolean ownsDirectory) {
    this.clock = ManualClock.at(b.start);
    InMemoryDedicatedCloud.Builder cloudBuilder = InMemoryDedicatedCloud.builder()
        .clock(clock).sleeper(clock.sleeper()).importKeyPairs(SharedTestKeys.importKeyPairs())
        // One unit's waits (maintenance, backoff) move the shared manual clock at once: the other
        // units' sessions must not expire as idle meanwhile.
        .sessionIdleTimeout(SESSION_IDLE_TIMEOUT);
    b.cloudSettings.accept(cloudBuilder);
    this.cloud = cloudBuilder.build();
    if (b.emulatorSettings != null) {
      LoopbackEmulator.Builder emulatorBuilder = LoopbackEmulator.builder();
      b.emulatorSettings.accept(emulatorBuilder);
      this.emulator = emulatorBuilder.cloud(cloud).build().start();
      try {
        this.transport = HttpTransport.builderFromEnvironment(emulator.environment()).clock(clock)
            .build();
      } catch (RuntimeException e) {
        emulator.close();
        throw e;
      }
    } else {
      this.emulator = null;
      this.transport = InMemoryTransport.over(cloud);
    }
    this.request = InstanceRequest.named(b.instanceName).withCryptoUnits(b.units);
    this.directory = directory;
    this.ownsDirectory = ownsDirectory;
    List<KeyshareLocation> locations = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      locations.add(new KeyshareLocation(directory.resolve("share-" + i + ".json"),
          Passphrase.of("testbed share passphrase " + i)));
    }
    this.shares = List.copyOf(locations);
    this.kdfCost = Boolean.getBoolean(KdfCost.TEST_PROPERTY) ? KdfCost.forTestsOnly()
        : KdfCost.defaults();
  }

  /**
   * Returns an in-memory testbed whose initializers create or reuse an instance of {@code units}
   * crypto units and write their keyshares into {@code directory}.
   *
   * @param units 2 or 3
   * @param directory an existing folder for the keyshare files (a JUnit {@code @TempDir})
   * @return the testbed
   * @throws IllegalArgumentException if {@code units} is neither 2 nor 3
   * @throws NullPointerException if {@code directory} is null
   */
  public static Testbed inMemory(int units, Path directory) {
    return builder().units(units).directory(directory).build();
  }

  /**
   * Like {@link #inMemory(int, Path)}, over a {@link LoopbackEmulator} started on a free loopback
   * port: the initializer talks HTTP, and its waits still go through the manual clock. Close the
   * testbed to stop the emulator.
   *
   * @param units 2 or 3
   * @param directory an existing folder for the keyshare files
   * @return the testbed, its emulator running
   * @throws IllegalArgumentException if {@code units} is neither 2 nor 3
   * @throws NullPointerException if {@code directory} is null
   */
  public static Testbed overEmulator(int units, Path directory) {
    return builder().units(units).directory(directory).overEmulator().build();
  }

  /** {@return a builder with the defaults described on its methods} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a new initializer builder with everything wired: transport, instance, administrator,
   * master key, KDF cost, clock and sleeper. Adjust it and build; every call returns a new one.
   *
   * @return the builder
   */
  public DedicatedInitializer.Builder initializerBuilder() {
    return DedicatedInitializer.builder()
        .transport(transport)
        .instance(InstanceSelector.createOrReuse(request))
        .adminIdentity(AdminIdentitySource.of(SharedTestKeys.admin()))
        .masterKey(MasterKeySource.generate(KEY_NAME, 2, shares))
        .kdfCost(kdfCost)
        .clock(clock)
        .sleeper(clock.sleeper());
  }

  /**
   * Returns an initializer with everything wired (see {@link #initializerBuilder()}).
   *
   * @return the initializer
   */
  public DedicatedInitializer initializer() {
    return initializerBuilder().build();
  }

  /**
   * Returns an initializer with everything wired and then adjusted by {@code customizer}, for
   * example {@code bed.initializer(b -> b.listener(events::add).concurrency(1))}.
   *
   * @param customizer changes settings of the pre-wired builder
   * @return the initializer
   * @throws NullPointerException if {@code customizer} is null
   * @throws IllegalStateException if the adjusted settings conflict (from
   *     {@link DedicatedInitializer.Builder#build()})
   */
  public DedicatedInitializer initializer(Consumer<DedicatedInitializer.Builder> customizer) {
    Objects.requireNonNull(customizer, "customizer");
    DedicatedInitializer.Builder b = initializerBuilder();
    customizer.accept(b);
    return b.build();
  }

  /** {@return the clock of the cloud, the emulator, the HTTP transport and the initializers} */
  public ManualClock clock() {
    return clock;
  }

  /** {@return the sleeper of the initializers and the cloud: it advances {@link #clock()}} */
  public Sleeper sleeper() {
    return clock.sleeper();
  }

  /** {@return the cloud: faults, call counts, snapshots, arrangers} */
  public InMemoryDedicatedCloud cloud() {
    return cloud;
  }

  /** {@return the emulator serving the cloud, or empty for an in-memory testbed} */
  public Optional<LoopbackEmulator> emulator() {
    return Optional.ofNullable(emulator);
  }

  /**
   * Returns the transport the initializers use: an {@link InMemoryTransport} over the cloud, or an
   * {@link HttpTransport} to the emulator on {@link #clock()}.
   *
   * @return the transport
   */
  public DedicatedTransport transport() {
    return transport;
  }

  /** {@return what the initializers create or reuse: the instance name and unit count} */
  public InstanceRequest request() {
    return request;
  }

  /** {@return the folder the keyshare files are written to} */
  public Path directory() {
    return directory;
  }

  /** {@return the three keyshare files and their passphrases, any two rebuild the key} */
  public List<KeyshareLocation> shares() {
    return shares;
  }

  /** {@return the KDF cost the initializers protect new keyshare files with} */
  public KdfCost kdfCost() {
    return kdfCost;
  }

  /**
   * Returns the testbed's instance and its units as they are now.
   *
   * @return the snapshot
   * @throws java.util.NoSuchElementException if no initializer created it yet
   */
  public InstanceSnapshot instance() {
    return cloud.snapshot(request.name());
  }

  /**
   * Puts the testbed back as it was built, for fixtures that share one between tests: resets the
   * cloud ({@link InMemoryDedicatedCloud#reset()}: instances, faults, call counts, ids) and deletes
   * the keyshare files. The clock keeps its time; the emulator keeps its port and the tokens it
   * issued.
   *
   * @throws UncheckedIOException if a keyshare file cannot be deleted
   */
  public void reset() {
    cloud.reset();
    for (KeyshareLocation share : shares) {
      try {
        Files.deleteIfExists(share.path());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete keyshare file " + share.path(), e);
      }
    }
  }

  /**
   * Stops the emulator, if any, and deletes the folder when the testbed made it itself. Calling it
   * again does nothing.
   *
   * @throws UncheckedIOException if the testbed's own folder cannot be deleted
   */
  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
    if (ownsDirectory && Files.exists(directory)) {
      try (Stream<Path> paths = Files.walk(directory)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the testbed folder " + directory, e);
      }
    }
  }

  @Override
  public String toString() {
    return "Testbed[" + request.name() + ", " + request.cryptoUnits() + " units, "
        + (emulator == null ? "in memory" : emulator.baseUri().toString()) + ", " + clock + "]";
  }

  /** Builds {@link Testbed}s. Setters validate at once. Not thread-safe. */
  public static final class Builder {
    private int units = InstanceRequest.DEFAULT_CRYPTO_UNITS;
    private String instanceName = DEFAULT_INSTANCE_NAME;
    private Path directory;
    private Instant start = DEFAULT_START;
    private Consumer<InMemoryDedicatedCloud.Builder> cloudSettings = b -> { };
    private Consumer<LoopbackEmulator.Builder> emulatorSettings;

    private Builder() {}

    /**
     * Sets the crypto units of the instance the initializers create (default 2).
     *
     * @param units 2 or 3
     * @return this builder
     * @throws IllegalArgumentException if {@code units} is neither 2 nor 3
     */
    public Builder units(int units) {
      if (units != 2 && units != 3) {
        throw new IllegalArgumentException("a Dedicated instance has 2 or 3 crypto units, not "
            + units);
      }
      this.units = units;
      return this;
    }

    /**
     * Sets the name of the instance the initializers create or reuse (default
     * {@value #DEFAULT_INSTANCE_NAME}).
     *
     * @param name the instance name, not blank
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder instanceName(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("the instance name must not be blank");
      }
      this.instanceName = name;
      return this;
    }

    /**
     * Sets the folder for the keyshare files (default: a new temporary folder that
     * {@link Testbed#close()} deletes).
     *
     * @param directory an existing folder; the testbed never deletes it
     * @return this builder
     * @throws IllegalArgumentException if it is not an existing folder
     */
    public Builder directory(Path directory) {
      if (!Files.isDirectory(Objects.requireNonNull(directory, "directory"))) {
        throw new IllegalArgumentException("not an existing folder: " + directory);
      }
      this.directory = directory;
      return this;
    }

    /**
     * Sets where the clock starts (default {@link #DEFAULT_START}).
     *
     * @param start the first time the clock shows
     * @return this builder
     */
    public Builder start(Instant start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /**
     * Adjusts the cloud after the testbed set its clock, sleeper and import keys, for example
     * {@code b -> b.provisioningPolls(0).seed(7)}. Setting another clock or sleeper there unties
     * the cloud from the initializers' time.
     *
     * @param settings changes settings of the cloud builder
     * @return this builder
     */
    public Builder cloud(Consumer<InMemoryDedicatedCloud.Builder> settings) {
      this.cloudSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Serves the cloud over a {@link LoopbackEmulator} with its defaults (a free loopback port).
     *
     * @return this builder
     */
    public Builder overEmulator() {
      return overEmulator(b -> { });
    }

    /**
     * Serves the cloud over a {@link LoopbackEmulator} adjusted by {@code settings} (port, API
     * key, token lifetime, limits). The testbed gives the emulator its cloud, so the settings must
     * not set a cloud, clock, sleeper or provisioning (use {@link #cloud(Consumer)} for those).
     *
     * @param settings changes settings of the emulator builder
     * @return this builder
     */
    public Builder overEmulator(Consumer<LoopbackEmulator.Builder> settings) {
      this.emulatorSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Builds the testbed, starting its emulator if it has one.
     *
     * @return the testbed
     * @throws UncheckedIOException if the temporary folder cannot be made
     * @throws IllegalStateException if the emulator settings conflict with the testbed's cloud
     */
    public Testbed build() {
      if (directory != null) {
        return new Testbed(this, directory, false);
      }
      Path made;
      try {
        made = Files.createTempDirectory("kpd-testbed-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a temporary folder for the testbed", e);
      }
      try {
        return new Testbed(this, made, true);
      } catch (RuntimeException e) {
        try {
          Files.deleteIfExists(made);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }
}
