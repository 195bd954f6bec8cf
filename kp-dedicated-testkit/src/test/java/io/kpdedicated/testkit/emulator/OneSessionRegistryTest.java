package io.kpdedicated.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.HttpServiceException;
import io.kpdedicated.http.HttpTransport;
import io.kpdedicated.testkit.Fault;
import io.kpdedicated.testkit.FaultRule;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import io.kpdedicated.testkit.ManualClock;
import io.kpdedicated.testkit.SimulatedCrashException;
import io.kpdedicated.testkit.UnitRef;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One cloud, two ways in: the in-process transport and the loopback emulator over real HTTP share
 * the cloud's one session registry and its one fault queue.
 */
class OneSessionRegistryTest {
  private ManualClock clock;
  private InMemoryDedicatedCloud cloud;
  private LoopbackEmulator emulator;
  private HttpTransport http;
  private InMemoryTransport memory;
  private Control control;
  private InstanceTarget httpTarget;
  private InstanceTarget memoryTarget;
  private String guid;
  private String unit;

  @BeforeEach
  void start() {
    clock = ManualClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    cloud = InMemoryDedicatedCloud.builder().clock(clock).sleeper(clock.sleeper())
        .importKeyPairs(Keys.IMPORT_POOL).build();
    emulator = LoopbackEmulator.builder().cloud(cloud).build().start();
    http = HttpTransport.builderFromEnvironment(emulator.environment()).clock(clock).build();
    memory = InMemoryTransport.over(cloud);
    control = new Control(emulator.baseUri());
    ServiceInstance instance = emulator.createActiveInstance("shared", 2);
    guid = instance.guid();
    httpTarget = instance.publicTarget().orElseThrow();
    memoryTarget = cloud.snapshot(guid).instance().publicTarget().orElseThrow();
    unit = cloud.snapshot(guid).unit(0).id();
    cloud.arrange(guid).unit(0).claimedBy(Keys.ADMIN.publicKey());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private HsmSession overHttp() {
    return http.hsm().openSession(httpTarget, unit, PortableHsmBackend.credentialOf(Keys.ADMIN));
  }

  private HsmSession inMemory() {
    return memory.hsm().openSession(memoryTarget, unit, PortableHsmBackend.credentialOf(Keys.ADMIN));
  }

  private static void assertSessionNotFound(Throwable t) {
    assertThat(t).isInstanceOf(ServiceException.class);
    ServiceException e = (ServiceException) t;
    assertThat(e.serviceCode()).hasValue("SESSION_NOT_FOUND");
    assertThat(((HttpServiceException) e).status()).isEqualTo(404);
  }

  @Test
  void sessionsOpenedEitherWayAreCountedInTheOneRegistry() {
    HsmSession a = overHttp();
    HsmSession b = inMemory();

    assertThat(cloud.sessions().count()).isEqualTo(2);
    assertThat(cloud.sessions().count(guid, unit)).isEqualTo(2);
    assertThat(control.state().get("open_sessions").asInt()).isEqualTo(2);

    a.close();
    b.close();
    assertThat(cloud.sessions().count()).isZero();
  }

  @Test
  void aSessionOpenedOverHttpIsEndedByAnInMemoryZeroize() {
    HsmSession session = overHttp();
    assertThat(session.listUsers()).isNotEmpty();

    memory.cryptoUnits().zeroize(memoryTarget, unit);

    assertSessionNotFound(catchThrowableOfType(ServiceException.class, session::listUsers));
    assertThat(cloud.sessions().count()).isZero();
  }

  @Test
  void aSessionOpenedInMemoryIsEndedByAZeroizeOverHttp() {
    HsmSession session = inMemory();
    assertThat(session.listMasterKeys()).isEmpty();

    http.cryptoUnits().zeroize(httpTarget, unit);

    assertSessionNotFound(catchThrowableOfType(ServiceException.class, session::listMasterKeys));
    assertThat(cloud.sessions().count()).isZero();
  }

  @Test
  void anArrangersWipeEndsTheUnitsSessionsForBothSides() {
    HsmSession viaHttp = overHttp();
    HsmSession viaMemory = inMemory();

    cloud.arrange(guid).unit(0).zeroized();

    assertSessionNotFound(catchThrowableOfType(ServiceException.class, viaHttp::listUsers));
    assertSessionNotFound(catchThrowableOfType(ServiceException.class, viaMemory::listUsers));
  }

  @Test
  void aResetOfTheCloudEndsTheSessionsOfBothSides() {
    overHttp();
    inMemory();
    assertThat(cloud.sessions().count()).isEqualTo(2);

    cloud.reset();

    assertThat(cloud.sessions().count()).isZero();
    assertThat(control.state().get("open_sessions").asInt()).isZero();
  }

  @Test
  void theCrashPointOverHttpDropsTheConnectionAndEndsTheSessionsOfBothSides() {
    HsmSession viaMemory = inMemory();
    HsmSession viaHttp = overHttp();
    cloud.faults().crashAfter(0);

    TransportException dropped = catchThrowableOfType(TransportException.class, () -> http.cryptoUnits().listUnits(httpTarget));
    SimulatedCrashException crashed = catchThrowableOfType(SimulatedCrashException.class, () -> memory.cryptoUnits().listUnits(memoryTarget));
    cloud.faults().clear();

    assertThat(dropped).isNotNull();
    assertThat(crashed.retryable()).isFalse();
    assertThat(cloud.sessions().count()).isZero();
    assertSessionNotFound(catchThrowableOfType(ServiceException.class, viaMemory::listUsers));
    assertSessionNotFound(catchThrowableOfType(ServiceException.class, viaHttp::listUsers));
  }

  @Test
  void idleSessionsExpireOnTheCloudsClockForBothSides() {
    HsmSession viaMemory = inMemory();
    HsmSession viaHttp = overHttp();

    clock.advance(Duration.ofMinutes(5));

    assertThat(cloud.sessions().count()).isZero();
    assertSessionNotFound(catchThrowableOfType(ServiceException.class, viaMemory::listUsers));
    assertSessionNotFound(catchThrowableOfType(ServiceException.class, viaHttp::listUsers));
  }

  @Test
  void theCapPerUnitCountsSessionsOfBothSides() {
    InMemoryDedicatedCloud small = InMemoryDedicatedCloud.builder().clock(clock)
        .sleeper(clock.sleeper()).importKeyPairs(Keys.IMPORT_POOL).maxSessions(2, 4).build();
    try (LoopbackEmulator e = LoopbackEmulator.builder().cloud(small).build().start()) {
      ServiceInstance instance = e.createActiveInstance("small", 2);
      String u = small.snapshot(instance.guid()).unit(0).id();
      small.arrange(instance.guid()).unit(0).claimedBy(Keys.ADMIN.publicKey());
      HttpTransport h = HttpTransport.builderFromEnvironment(e.environment()).clock(clock).build();
      InstanceTarget mt = small.snapshot(instance.guid()).instance().publicTarget().orElseThrow();
      InMemoryTransport m = InMemoryTransport.over(small);
      m.hsm().openSession(mt, u, PortableHsmBackend.credentialOf(Keys.ADMIN));
      h.hsm().openSession(instance.publicTarget().orElseThrow(), u,
          PortableHsmBackend.credentialOf(Keys.ADMIN));

      HttpServiceException refused = catchThrowableOfType(HttpServiceException.class, () -> m.hsm().openSession(mt, u,
          PortableHsmBackend.credentialOf(Keys.ADMIN)));

      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.serviceCode()).hasValue("TOO_MANY_SESSIONS");
      assertThat(refused.retryAfter()).hasValue(Duration.ofMinutes(5));
    }
  }

  @Test
  void aFaultAddedThroughTheControlApiIsInTheCloudsFaultQueue() {
    control.fault("{\"operation\":\"claim\",\"unit\":\"1\",\"status\":503,\"code\":\"BUSY\","
        + "\"message\":\"busy\",\"times\":2}");
    control.fault("{\"operation\":\"list-units\",\"kind\":\"malformed\",\"body\":\"html\"}");

    assertThat(cloud.faults().pending()).containsExactly(
        new FaultRule(Operation.CLAIM, UnitRef.index(1),
            new Fault.ErrorStatus(503, "BUSY", "busy", null), 2),
        new FaultRule(Operation.LIST_UNITS, UnitRef.any(), new Fault.MalformedAnswer("html"), 1));
  }

  @Test
  void aMalformedFaultFromTheControlApiAlsoMeetsInProcessCalls() {
    control.fault("{\"operation\":\"list-units\",\"kind\":\"malformed\",\"body\":\"truncated\"}");

    TransportException e = catchThrowableOfType(TransportException.class, () -> memory.cryptoUnits().listUnits(memoryTarget));

    assertThat(e.kind()).isEqualTo(FailureKind.INVALID_ANSWER);
    assertThat(e.retryable()).isTrue();
    assertThat(cloud.faults().pending()).isEmpty();
    assertThat(control.send("GET", "/emulator/v1/faults", null).json().get("pending")).isEmpty();
  }

  @Test
  void aFaultAddedInMemoryIsServedOverHttpAndListedByTheControlApi() {
    cloud.faults().on(Operation.LIST_UNITS).malformedAnswer("wrong-types");

    assertThat(control.send("GET", "/emulator/v1/faults", null).json().at("/pending/0/kind")
        .asText()).isEqualTo("malformed");
    TransportException e = catchThrowableOfType(TransportException.class, () -> http.cryptoUnits().listUnits(httpTarget));

    assertThat(e.kind()).isEqualTo(FailureKind.INVALID_ANSWER);
    assertThat(cloud.faults().pending()).isEmpty();
  }
}
