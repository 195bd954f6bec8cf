package io.kpdedicated.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KdfParameters;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import io.kpdedicated.testkit.InstanceSnapshot;
import io.kpdedicated.testkit.ManualClock;
import io.kpdedicated.testkit.UnitSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario's world: a fake clock, an in-memory cloud on it, three keyshare targets in a
 * temporary directory, and an initializer builder wired to all of them. Expensive material (the
 * admin identity, the units' import keys) is generated once and shared by every scenario.
 */
final class Scenario {
  static final String INSTANCE_NAME = "kp-scenario";
  static final String KEY_NAME = "mk1";
  static final AdminIdentity ADMIN = AdminIdentity.generate("scenario-admin", 2048,
      new SecureRandom());
  static final List<KeyPair> IMPORT_KEYS = List.of(rsa(), rsa(), rsa());
  /** Cheap KDF parameters: keyshare files are real, but opening them takes no time. */
  static final KeyshareWriteOptions CHEAP_KDF =
      KeyshareWriteOptions.builder().kdf(KdfParameters.argon2id(8, 1, 1)).build();

  final ManualClock clock = ManualClock.at(Instant.parse("2025-03-01T10:00:00Z"));
  final InMemoryDedicatedCloud cloud;
  final InMemoryTransport transport;
  final List<KeyshareLocation> shares;
  final List<InitializationEvent> events = Collections.synchronizedList(new ArrayList<>());
  final int units;

  Scenario(Path dir, int units) {
    this(dir, units, 42);
  }

  Scenario(Path dir, int units, long seed) {
    this.units = units;
    this.cloud = InMemoryDedicatedCloud.builder()
        .clock(clock).sleeper(clock.sleeper()).seed(seed).provisioningPolls(3)
        // One unit's waits move the shared manual clock: sessions of the other units must not
        // expire meanwhile (see EMULATOR.md, "Making waits instant").
        .sessionIdleTimeout(Duration.ofDays(1))
        .importKeyPairs(IMPORT_KEYS).build();
    this.transport = InMemoryTransport.over(cloud);
    List<KeyshareLocation> locations = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      locations.add(new KeyshareLocation(dir.resolve("share-" + i + ".json"),
          Passphrase.of("share passphrase " + i)));
    }
    this.shares = List.copyOf(locations);
  }

  InstanceRequest request() {
    return new InstanceRequest(INSTANCE_NAME, "us-south", null, units);
  }

  /** An initializer that creates (or reuses) the instance and generates (or reuses) keyshares. */
  DedicatedInitializer.Builder initializer() {
    return DedicatedInitializer.builder()
        .transport(transport)
        .instance(InstanceSelector.createOrReuse(request()))
        .adminIdentity(AdminIdentitySource.of(ADMIN))
        .masterKey(MasterKeySource.generate(KEY_NAME, 2, shares))
        .keyshareWriteOptions(CHEAP_KDF)
        .retryPolicy(RetryPolicy.defaults())
        .waitPolicy(new WaitPolicy(Duration.ofSeconds(5), Duration.ofSeconds(30), 1.5,
            Duration.ofMinutes(30)))
        .maintenanceWaitPolicy(new WaitPolicy(Duration.ofSeconds(10), Duration.ofSeconds(30), 2.0,
            Duration.ofMinutes(5)))
        .clock(clock)
        .sleeper(clock.sleeper())
        .random(new SecureRandom())
        .listener(events::add);
  }

  /** An initializer that rebuilds the key from the keyshares written by {@link #writeShares()}. */
  DedicatedInitializer.Builder resumingInitializer() {
    return initializer().masterKey(MasterKeySource.existing(shares));
  }

  /** Writes the keyshares of a new master key, as an earlier run would have; returns its KCV. */
  CheckValue writeShares() {
    try (MasterKey key = MasterKey.generate(KEY_NAME, new SecureRandom())) {
      Keyshares.write(key, 2, shares, CHEAP_KDF);
      return PortableHsmBackend.checkValueOf(key.checkValue());
    }
  }

  /** Creates the instance as already active, as an earlier run would have; returns its GUID. */
  String activeInstance() {
    return cloud.arrange().activeInstance(request()).guid();
  }

  InstanceSnapshot instance() {
    return cloud.snapshot().onlyInstance();
  }

  String unitId(int index) {
    return instance().unit(index).id();
  }

  /** Asserts the end state every run must reach: one instance, all units ready, one key. */
  void assertEveryUnitKmsInitializedWith(CheckValue expected, InitializationResult result) {
    assertThat(cloud.snapshot().instances()).hasSize(1);
    InstanceSnapshot instance = instance();
    assertThat(instance.units()).hasSize(units);
    assertThat(instance.states()).containsOnly(UnitState.KMS_INITIALIZED);
    for (UnitSnapshot unit : instance.units()) {
      assertThat(unit.checkValue()).as("check value of unit %s", unit.id()).hasValue(expected);
      assertThat(unit.hasCryptoUser()).isTrue();
    }
    assertThat(result.checkValue()).hasValue(expected);
    assertThat(result.succeeded()).isTrue();
    assertThat(result.units()).allSatisfy(u -> {
      assertThat(u.finalState()).isEqualTo(UnitState.KMS_INITIALIZED);
      assertThat(u.checkValue()).isEqualTo(expected);
    });
  }

  /** Returns the keyshares' check value (rebuilding the key from the files). */
  CheckValue sharesCheckValue() {
    return PortableHsmBackend.checkValueOf(Keyshares.verify(shares).checkValue());
  }

  /** Returns every existing keyshare file's bytes and modification time. */
  Map<Path, FileFingerprint> shareFiles() {
    Map<Path, FileFingerprint> out = new LinkedHashMap<>();
    for (KeyshareLocation share : shares) {
      Path p = share.path();
      if (Files.exists(p)) {
        try {
          out.put(p, new FileFingerprint(Files.readAllBytes(p), Files.getLastModifiedTime(p)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }

  /** A file's content and modification time. */
  record FileFingerprint(byte[] bytes, FileTime modified) {
    @Override
    public boolean equals(Object o) {
      return o instanceof FileFingerprint f && java.util.Arrays.equals(bytes, f.bytes)
          && modified.equals(f.modified);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes) * 31 + modified.hashCode();
    }

    @Override
    public String toString() {
      return "FileFingerprint[" + bytes.length + " bytes, modified " + modified + "]";
    }
  }

  <T extends InitializationEvent> List<T> events(Class<T> type) {
    synchronized (events) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
