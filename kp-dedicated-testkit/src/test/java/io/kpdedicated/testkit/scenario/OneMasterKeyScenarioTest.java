package io.kpdedicated.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.MasterKeyConflictException;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import io.kpdedicated.testkit.ManualClock;
import io.kpdedicated.testkit.UnitSnapshot;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One instance, one master key: two initializations with different keyshare folders (and
 * administrators) on one instance, in both orders and concurrently, end with one master key on the
 * instance or with the second run refusing before it loads anything.
 */
class OneMasterKeyScenarioTest {
  private static final AdminIdentity OTHER_ADMIN = AdminIdentity.generate("other-admin", 2048,
      new SecureRandom());
  /** The injected latency that makes a claim wait at the barrier. */
  private static final Duration AT_THE_BARRIER = Duration.ofMillis(4242);

  @TempDir
  Path dir;

  private final ManualClock clock = ManualClock.at(Instant.parse("2025-03-01T10:00:00Z"));

  private InMemoryDedicatedCloud cloud(io.kpdedicated.core.Sleeper sleeper) {
    InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder().clock(clock).sleeper(sleeper)
        .provisioningPolls(0).sessionIdleTimeout(java.time.Duration.ofDays(1))
        .importKeyPairs(Scenario.IMPORT_KEYS).build();
    cloud.arrange().activeInstance(
        new io.kpdedicated.core.model.InstanceRequest(Scenario.INSTANCE_NAME, "us-south", null, 3));
    return cloud;
  }

  /** A kpd-like run: its own folder with its own admin identity file and keyshares. */
  private DedicatedInitializer.Builder run(InMemoryDedicatedCloud cloud, String folder) {
    Path out = dir.resolve(folder);
    try {
      java.nio.file.Files.createDirectories(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<KeyshareLocation> shares = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      shares.add(new KeyshareLocation(out.resolve("share-" + i + ".json"),
          Passphrase.of(folder + " share passphrase " + i)));
    }
    return DedicatedInitializer.builder()
        .transport(InMemoryTransport.over(cloud))
        .instance(InstanceSelector.createOrReuse(
            new io.kpdedicated.core.model.InstanceRequest(Scenario.INSTANCE_NAME, "us-south",
                null, 3)))
        .adminIdentity(AdminIdentitySource.generate(out.resolve("admin.p12"),
            Passphrase.of(folder + " admin passphrase"), folder))
        .masterKey(MasterKeySource.generate(Scenario.KEY_NAME, 2, shares))
        .kdfCost(KdfCost.forTestsOnly())
        .retryPolicy(RetryPolicy.defaults().withoutJitter())
        .clock(clock)
        .sleeper(clock.sleeper());
  }

  private static Set<CheckValue> keysOn(InMemoryDedicatedCloud cloud) {
    return cloud.snapshot().onlyInstance().units().stream().map(UnitSnapshot::checkValue)
        .flatMap(java.util.Optional::stream).collect(Collectors.toSet());
  }

  @Test
  void aSecondRunWithOtherKeysharesOnACompleteInstanceLoadsNothing() {
    InMemoryDedicatedCloud cloud = cloud(clock.sleeper());
    InitializationResult first = run(cloud, "A").build().run();
    cloud.stats().reset();

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> run(cloud, "B").build().run());

    assertThat(e.retryable()).isFalse();
    assertThat(e.result().units()).allSatisfy(u -> assertThat(u.failed()).isTrue());
    assertThat(cloud.stats().changes(Operation.CLAIM)).isZero();
    assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY)).isZero();
    assertThat(keysOn(cloud)).containsExactly(first.checkValue().orElseThrow());
  }

  @Test
  void aFullRunAfterAOneUnitRunWithOtherFilesRefusesBeforeLoadingAnything() {
    InMemoryDedicatedCloud cloud = cloud(clock.sleeper());
    String u1 = cloud.snapshot().onlyInstance().unit(1).id();
    InitializationResult first = run(cloud, "B").targetUnits(Set.of(u1)).build().run();
    cloud.stats().reset();

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> run(cloud, "A").build().run());

    for (int i : new int[] {0, 2}) {
      UnitOutcome refused = e.result().units().get(i);
      assertThat(refused.failure()).isInstanceOfSatisfying(MasterKeyConflictException.class,
          c -> {
            assertThat(c.otherAdministrator()).containsExactly(u1);
            assertThat(c.getMessage()).contains(u1).contains("another administrator");
            assertThat(c.remediation()).get().asString().contains("zeroize");
          });
    }
    assertThat(cloud.stats().changes(Operation.CLAIM)).isZero();
    assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY)).isZero();
    assertThat(keysOn(cloud)).containsExactly(first.checkValue().orElseThrow());
  }

  @Test
  void aOneUnitRunAfterAFullRunWithOtherFilesLoadsNothing() {
    InMemoryDedicatedCloud cloud = cloud(clock.sleeper());
    InitializationResult first = run(cloud, "A").build().run();
    String u1 = cloud.snapshot().onlyInstance().unit(1).id();
    cloud.stats().reset();

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> run(cloud, "B").targetUnits(Set.of(u1)).build().run());

    assertThat(e.result().unit(u1).orElseThrow().failed()).isTrue();
    assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY)).isZero();
    assertThat(keysOn(cloud)).containsExactly(first.checkValue().orElseThrow());
  }

  @Test
  void theSameAdministratorWithOtherKeysharesIsRefusedNamingBothCheckValues() {
    InMemoryDedicatedCloud cloud = cloud(clock.sleeper());
    String u0 = cloud.snapshot().onlyInstance().unit(0).id();
    AdminIdentitySource shared = AdminIdentitySource.of(Scenario.ADMIN);
    InitializationResult first = run(cloud, "A").adminIdentity(shared)
        .targetUnits(Set.of(u0)).build().run();
    cloud.stats().reset();

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> run(cloud, "B").adminIdentity(shared).build().run());

    CheckValue a = first.checkValue().orElseThrow();
    CheckValue b = e.result().checkValue().orElseThrow();
    assertThat(b).isNotEqualTo(a);
    assertThat(e.result().units().get(1).failure())
        .isInstanceOfSatisfying(MasterKeyConflictException.class, c -> {
          assertThat(c.unitKeys()).containsEntry(u0, a);
          assertThat(c.expected()).contains(b);
          assertThat(c.getMessage()).contains(u0, a.text(), b.text());
        });
    assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY)).isZero();
    assertThat(keysOn(cloud)).containsExactly(a);
  }

  @Test
  void twoConcurrentRunsWithDifferentAdministratorsEndWithOneMasterKey() throws Exception {
    assertConcurrentRunsEndWithOneKey(null);
  }

  @Test
  void twoConcurrentRunsWithTheSameAdministratorEndWithOneMasterKey() throws Exception {
    assertConcurrentRunsEndWithOneKey(AdminIdentitySource.of(OTHER_ADMIN));
  }

  /**
   * Both runs read the instance (no key yet) and reach the claim of the first unit; the claims
   * wait for each other at a barrier in the cloud's latency hook, then race. The loser must stop
   * before it loads any key.
   */
  private void assertConcurrentRunsEndWithOneKey(AdminIdentitySource sharedAdmin)
      throws Exception {
    CyclicBarrier bothAtTheClaim = new CyclicBarrier(2);
    InMemoryDedicatedCloud cloud = cloud(d -> {
      if (d.equals(AT_THE_BARRIER)) {
        try {
          bothAtTheClaim.await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("the two runs did not meet at the claim", e);
        }
      }
    });
    cloud.faults().on(Operation.CLAIM).unitIndex(0).times(2).latency(AT_THE_BARRIER);
    List<DedicatedInitializer> runs = new ArrayList<>();
    for (String folder : List.of("A", "B")) {
      DedicatedInitializer.Builder b = run(cloud, folder);
      if (sharedAdmin != null) {
        b.adminIdentity(sharedAdmin);
      }
      runs.add(b.build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (DedicatedInitializer init : runs) {
        futures.add(pool.submit(() -> {
          try {
            return init.run();
          } catch (RuntimeException e) {
            return e;
          }
        }));
      }
      List<Object> ends = new ArrayList<>();
      for (Future<Object> f : futures) {
        ends.add(f.get(60, TimeUnit.SECONDS));
      }
      long winners = ends.stream().filter(InitializationResult.class::isInstance).count();
      assertThat(winners).as("exactly one run initializes the instance: %s", ends).isEqualTo(1);
      InitializationResult won = (InitializationResult) ends.stream()
          .filter(InitializationResult.class::isInstance).findFirst().orElseThrow();
      PartialFailureException lost = (PartialFailureException) ends.stream()
          .filter(Objects::nonNull).filter(PartialFailureException.class::isInstance)
          .findFirst().orElseThrow();
      assertThat(lost.result().units()).allSatisfy(u -> assertThat(u.steps())
          .doesNotContain(io.kpdedicated.core.Step.IMPORT_MASTER_KEY));
      assertThat(keysOn(cloud)).containsExactly(won.checkValue().orElseThrow());
      assertThat(cloud.snapshot().onlyInstance().states()).containsOnly(
          UnitState.KMS_INITIALIZED);
      assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY)).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }
}
