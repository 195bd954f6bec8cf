package io.kpdedicated.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.ManualClock;
import io.kpdedicated.testkit.Testbed;
import io.kpdedicated.testkit.emulator.LoopbackEmulator;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extensions' scopes, resets and cleanup, observed from outside: each case runs a sample test
 * class through the JUnit launcher and then checks what the samples recorded and what is left.
 */
class FixtureExtensionsTest {
  /** What the samples saw, in the order they saw it; cleared before every case. */
  static final List<Object> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void clear() {
    SEEN.clear();
  }

  private static TestExecutionSummary run(Class<?> sample) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(sample))
        .build(), listener);
    return listener.getSummary();
  }

  private static void assertAllPassed(TestExecutionSummary summary, long tests) {
    assertThat(summary.getFailures()).as("failures").extracting(f -> f.getException().toString())
        .isEmpty();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(tests);
  }

  private static boolean portOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  // ------------------------------------------------------------------ in-memory cloud

  @Test
  void anInstanceFieldExtensionGivesEveryTestItsOwnTestbedAndClosesIt() {
    assertAllPassed(run(PerTestCloudSample.class), 2);

    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    assertThat(SEEN).allSatisfy(o -> assertThat(((Testbed) o).directory()).doesNotExist());
  }

  @Test
  void aStaticExtensionSharesOneTestbedPerClassResetBetweenTestsAndClosedAfterTheClass() {
    assertAllPassed(run(PerClassCloudSample.class), 3);

    assertThat(SEEN).hasSize(3).containsOnly(SEEN.get(0));
    assertThat(((Testbed) SEEN.get(0)).directory()).doesNotExist();
  }

  @Test
  void keepStateBetweenTestsLetsALaterTestSeeWhatAnEarlierOneLeft() {
    assertAllPassed(run(KeepStateCloudSample.class), 2);
  }

  @Test
  void aPerTestFixtureIsRefusedToAConstructorWithAMessageThatSaysWhatToDo() {
    TestExecutionSummary summary = run(PerTestInConstructorSample.class);

    assertThat(summary.getTestsSucceededCount()).isZero();
    assertThat(summary.getFailures()).singleElement()
        .satisfies(f -> assertThat(f.getException()).hasMessageContaining("perClass()"));
  }

  @Test
  void aTestbedRefusesToRunOverTheEmulatorWhenTheEmulatorSettingsSetACloudClock() {
    assertThatThrownBy(() -> Testbed.builder().overEmulator(b -> b.provisioningPolls(0)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("InMemoryDedicatedCloud you pass");
  }

  // ------------------------------------------------------------------ loopback emulator

  @Test
  void theEmulatorOfAClassIsResetBetweenTestsAndItsPortClosedAfterTheClass() {
    assertAllPassed(run(PerClassEmulatorSample.class), 2);

    assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
    assertThat(portOpen(((LoopbackEmulator) SEEN.get(0)).port())).isFalse();
  }

  @Test
  void aPerTestEmulatorIsStartedForEachTestAndStoppedAfterIt() {
    assertAllPassed(run(PerTestEmulatorSample.class), 2);

    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    assertThat(SEEN).allSatisfy(o -> assertThat(portOpen(((LoopbackEmulator) o).port())).isFalse());
  }

  @Test
  void anEmulatorWithATestbedRunsTheInitializerOverHttpWithoutRealWaits() {
    assertAllPassed(run(EmulatorTestbedSample.class), 2);

    assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
    Testbed bed = (Testbed) SEEN.get(0);
    assertThat(portOpen(bed.emulator().orElseThrow().port())).isFalse();
    assertThat(bed.directory()).doesNotExist();
  }

  // ------------------------------------------------------------------ samples (run by the cases)

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerTestCloudSample {
    @RegisterExtension
    InMemoryCloudExtension extension = new InMemoryCloudExtension(b -> b.units(3));

    @Test
    @Order(1)
    void leavesAnInstanceAndAFault(Testbed bed, InMemoryDedicatedCloud cloud) {
      SEEN.add(bed);
      assertThat(cloud).isSameAs(bed.cloud());
      cloud.arrange().activeInstance(InstanceRequest.named("left-behind"));
      cloud.faults().on(Operation.CLAIM).error(503, "SERVICE_UNAVAILABLE", "busy");
    }

    @Test
    @Order(2)
    void seesNothingOfTheEarlierTest(Testbed bed, InMemoryDedicatedCloud cloud) {
      SEEN.add(bed);
      assertThat(cloud.snapshot().instances()).isEmpty();
      assertThat(cloud.faults().pending()).isEmpty();
      assertThat(((Testbed) SEEN.get(0)).directory()).doesNotExist();
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerClassCloudSample {
    @RegisterExtension
    static InMemoryCloudExtension extension = new InMemoryCloudExtension(b -> b.units(3));

    static String firstGuid;

    @Test
    @Order(1)
    void initializesAnInstance(Testbed bed, ManualClock clock, DedicatedTransport transport) {
      SEEN.add(bed);
      assertThat(clock).isSameAs(bed.clock());
      assertThat(transport).isSameAs(bed.transport());
      InitializationResult result = bed.initializer().run();
      assertThat(result.succeeded()).isTrue();
      firstGuid = bed.instance().instance().guid();
      assertThat(bed.shares()).allSatisfy(s -> assertThat(s.path()).exists());
    }

    @Test
    @Order(2)
    void startsFromAResetCloudWithoutKeyshareFiles(Testbed bed) {
      SEEN.add(bed);
      assertThat(bed.cloud().snapshot().instances()).isEmpty();
      assertThat(bed.cloud().stats().totalCalls()).isZero();
      assertThat(bed.shares()).allSatisfy(s -> assertThat(s.path()).doesNotExist());
      assertThat(bed.directory()).exists();
    }

    @Test
    @Order(3)
    void makesTheSameIdsAFreshCloudWould(Testbed bed) {
      SEEN.add(bed);
      assertThat(bed.initializer().run().succeeded()).isTrue();
      assertThat(bed.instance().instance().guid()).isEqualTo(firstGuid);
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class KeepStateCloudSample {
    @RegisterExtension
    static InMemoryCloudExtension extension = new InMemoryCloudExtension().perClass()
        .keepStateBetweenTests();

    @Test
    @Order(1)
    void leavesAnInstance(Testbed bed) {
      bed.cloud().arrange().activeInstance(InstanceRequest.named("kept"));
    }

    @Test
    @Order(2)
    void seesIt(Testbed bed) {
      assertThat(bed.cloud().snapshot().instances()).hasSize(1);
    }
  }

  static class PerTestInConstructorSample {
    @RegisterExtension
    static InMemoryCloudExtension extension = new InMemoryCloudExtension().perTest();

    PerTestInConstructorSample(Testbed bed) {
      SEEN.add(bed);
    }

    @Test
    void neverRuns() {
      SEEN.add(this);
    }
  }

  @ExtendWith(LoopbackEmulatorExtension.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerClassEmulatorSample {
    @Test
    @Order(1)
    void leavesAnInstance(LoopbackEmulator emulator, InMemoryDedicatedCloud cloud) {
      SEEN.add(emulator);
      assertThat(cloud).isSameAs(emulator.cloud());
      emulator.createActiveInstance("left-behind", 2);
    }

    @Test
    @Order(2)
    void seesNoInstanceOnTheSamePort(LoopbackEmulator emulator, @EmulatorBaseUri URI base) {
      SEEN.add(emulator);
      assertThat(base).isEqualTo(emulator.baseUri());
      assertThat(emulator.cloud().snapshot().instances()).isEmpty();
      assertThat(portOpen(emulator.port())).isTrue();
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerTestEmulatorSample {
    @RegisterExtension
    static LoopbackEmulatorExtension extension = new LoopbackEmulatorExtension().perTest();

    @Test
    @Order(1)
    void first(LoopbackEmulator emulator) {
      SEEN.add(emulator);
      emulator.createActiveInstance("only-here", 2);
    }

    @Test
    @Order(2)
    void second(LoopbackEmulator emulator) {
      SEEN.add(emulator);
      assertThat(portOpen(((LoopbackEmulator) SEEN.get(0)).port())).isFalse();
      assertThat(emulator.cloud().snapshot().instances()).isEmpty();
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class EmulatorTestbedSample {
    @RegisterExtension
    static LoopbackEmulatorExtension extension = LoopbackEmulatorExtension.withTestbed(
        b -> b.units(3));

    @Test
    @Order(1)
    void initializesOverHttpOnTheManualClock(Testbed bed, LoopbackEmulator emulator,
        ManualClock clock) {
      SEEN.add(bed);
      assertThat(bed.emulator()).containsSame(emulator);
      assertThat(bed.initializer().run().succeeded()).isTrue();
      assertThat(bed.instance().states()).containsOnly(UnitState.KMS_INITIALIZED);
      // The instance provisioned over two polls: the wait between them went through the clock.
      assertThat(clock.sleeps()).contains(Duration.ofSeconds(5));
    }

    @Test
    @Order(2)
    void startsAgainFromNothing(Testbed bed) throws IOException {
      SEEN.add(bed);
      assertThat(bed.cloud().snapshot().instances()).isEmpty();
      try (var files = Files.list(bed.directory())) {
        assertThat(files.map(Path::getFileName)).isEmpty();
      }
    }
  }
}
