package io.kpdedicated.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.http.HttpTransport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestbedTest {
  @TempDir Path dir;

  @Test
  void initializesEveryUnitWithOneKeyAndWaitsOnlyOnItsClock() {
    Testbed bed = Testbed.inMemory(3, dir);

    InitializationResult result = bed.initializer().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(bed.instance().states()).hasSize(3).containsOnly(UnitState.KMS_INITIALIZED);
    assertThat(bed.instance().units()).extracting(UnitSnapshot::checkValue)
        .containsOnly(result.checkValue());
    // Two polls to provision: the initializer waited 5 s between them, on the manual clock.
    assertThat(bed.clock().sleeps()).contains(Duration.ofSeconds(5));
    assertThat(bed.clock().instant()).isAfter(Testbed.DEFAULT_START);
    assertThat(bed.shares()).allSatisfy(s -> assertThat(s.path()).exists().hasParent(dir));
    assertThat(bed.initializer().plan().nothingToDo()).isTrue();
  }

  @Test
  void retriesAnInjectedFailureWithoutSleeping() {
    Testbed bed = Testbed.inMemory(2, dir);
    bed.cloud().faults().on(Operation.IMPORT_MASTER_KEY).unitIndex(1)
        .error(503, "SERVICE_UNAVAILABLE", "busy");
    Duration before = bed.clock().totalSlept();

    assertThat(bed.initializer().run().succeeded()).isTrue();

    String unit1 = bed.instance().unit(1).id();
    assertThat(bed.cloud().stats().calls(Operation.IMPORT_MASTER_KEY, unit1)).isEqualTo(2);
    assertThat(bed.clock().totalSlept()).isGreaterThan(before);
  }

  @Test
  void letsTheTestAdjustThePreWiredInitializer() {
    Testbed bed = Testbed.builder().units(2).instanceName("kp-custom").directory(dir)
        .cloud(c -> c.provisioningPolls(0)).build();
    List<InitializationEvent> events = new ArrayList<>();

    bed.initializer(b -> b.listener(events::add).concurrency(1)).run();

    assertThat(events).isNotEmpty();
    assertThat(bed.request().name()).isEqualTo("kp-custom");
    assertThat(bed.instance().states()).containsOnly(UnitState.KMS_INITIALIZED);
    assertThat(bed.clock().sleeps()).doesNotContain(Duration.ofSeconds(5));
  }

  @Test
  void usesTheTestKdfCostWhenTheTestJvmAllowsIt() {
    assertThat(Testbed.inMemory(2, dir).kdfCost().isTestOnly()).isTrue();
  }

  @Test
  void resetGivesBackTheCloudAsBuiltWithoutKeyshareFiles() {
    Testbed bed = Testbed.inMemory(2, dir);
    bed.initializer().run();
    String guid = bed.instance().instance().guid();
    bed.cloud().faults().on(Operation.CLAIM).error(503, "SERVICE_UNAVAILABLE", "busy");

    bed.reset();

    assertThat(bed.cloud().snapshot().instances()).isEmpty();
    assertThat(bed.cloud().faults().pending()).isEmpty();
    assertThat(bed.cloud().stats().totalCalls()).isZero();
    assertThat(bed.shares()).allSatisfy(s -> assertThat(s.path()).doesNotExist());
    assertThat(bed.initializer().run().succeeded()).isTrue();
    assertThat(bed.instance().instance().guid()).isEqualTo(guid);
  }

  @Test
  void runsOverTheEmulatorWithAnHttpTransportOnTheSameClock() throws IOException {
    int port;
    try (Testbed bed = Testbed.overEmulator(3, dir)) {
      assertThat(bed.transport()).isInstanceOf(HttpTransport.class);
      port = bed.emulator().orElseThrow().port();

      assertThat(bed.initializer().run().succeeded()).isTrue();

      assertThat(bed.instance().states()).containsOnly(UnitState.KMS_INITIALIZED);
      assertThat(bed.clock().sleeps()).contains(Duration.ofSeconds(5));
      assertThat(bed.cloud().clock()).isSameAs(bed.clock());
    }
    assertThat(dir).exists();
    try (Socket s = new Socket()) {
      assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port), 2000))
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void makesAndDeletesItsOwnFolderWhenNoneIsGiven() {
    Path own;
    try (Testbed bed = Testbed.builder().build()) {
      own = bed.directory();
      bed.initializer().run();
      assertThat(own).isDirectory();
      assertThat(bed.shares()).allSatisfy(s -> assertThat(s.path()).exists());
    }
    assertThat(own).doesNotExist();
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThatThrownBy(() -> Testbed.builder().units(4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 or 3");
    assertThatThrownBy(() -> Testbed.builder().directory(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
    assertThatThrownBy(() -> Testbed.builder().instanceName(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Testbed.builder().directory(dir)
        .overEmulator(e -> e.provisioningPolls(1)).build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void doesNotLeaveItsOwnFolderBehindWhenItCannotBeBuilt() throws IOException {
    long before;
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (var s = Files.list(tmp)) {
      before = s.filter(p -> p.getFileName().toString().startsWith("kpd-testbed-")).count();
    }

    assertThatThrownBy(() -> Testbed.builder().overEmulator(e -> e.provisioningPolls(1)).build())
        .isInstanceOf(IllegalStateException.class);

    try (var s = Files.list(tmp)) {
      assertThat(s.filter(p -> p.getFileName().toString().startsWith("kpd-testbed-")).count())
          .isLessThanOrEqualTo(before);
    }
  }
}
