package io.kpdedicated.testkit;

import io.kpdedicated.http.HttpServiceException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2025-03-01T10:00:00Z"));
  private final InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
      .clock(clock).sleeper(clock.sleeper()).importKeyPairs(TestKeys.IMPORT_POOL).build();
  private final String guid =
      cloud.arrange().activeInstance(new InstanceRequest("faults", "us-south", null, 3)).guid();

  private String unit(int index) {
    return cloud.snapshot(guid).unit(index).id();
  }

  private void claim(int index) {
    cloud.claim(guid, unit(index), TestKeys.pem(TestKeys.ADMIN));
  }

  @Test
  void anErrorFaultFailsTheNextMatchingCallOnceWithItsStatusAndRetryAfter() {
    cloud.faults().on(Operation.CLAIM).unitIndex(1)
        .error(503, "SERVICE_UNAVAILABLE", "busy", Duration.ofSeconds(3));

    claim(0);
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () -> claim(1));
    claim(1);

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.serviceCode()).hasValue("SERVICE_UNAVAILABLE");
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(3));
    assertThat(e.unitId()).hasValue(unit(1));
    assertThat(cloud.stats().calls(Operation.CLAIM, unit(1))).isEqualTo(2);
    assertThat(cloud.stats().changes(Operation.CLAIM, unit(1))).isEqualTo(1);
    assertThat(cloud.faults().pending()).isEmpty();
  }

  @Test
  void timesCountsMatchingCallsAndRulesFireInOrder() {
    cloud.faults()
        .on(Operation.LIST_UNITS).times(2).error(500, "FIRST", "first")
        .on(Operation.LIST_UNITS).error(502, "SECOND", "second");

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statuses.add(catchThrowableOfType(HttpServiceException.class, () -> cloud.listUnits(guid)).status());
    }
    assertThat(statuses).containsExactly(500, 500, 502);
    assertThat(cloud.listUnits(guid)).hasSize(3);
  }

  @Test
  void aDroppedConnectionIsARetryableTransportFailureAndChangesNothing() {
    cloud.faults().on(Operation.CLAIM).unit(unit(0)).dropConnection();

    Throwable t = catchThrowable(() -> claim(0));

    assertThat(t).isInstanceOf(TransportException.class);
    assertThat(((TransportException) t).retryable()).isTrue();
    assertThat(((TransportException) t).operation()).isEqualTo(Operation.CLAIM);
    assertThat(cloud.snapshot(guid).unit(0).state()).isEqualTo(UnitState.RESERVED);
  }

  @Test
  void aLostResponseFailsTheCallAfterTheServiceDidIt() {
    cloud.faults().on(Operation.CLAIM).loseResponse();

    assertThatThrownBy(() -> claim(0)).isInstanceOf(TransportException.class);

    assertThat(cloud.snapshot(guid).unit(0).state()).isEqualTo(UnitState.CLAIMED);
    assertThat(cloud.stats().changes(Operation.CLAIM, unit(0))).isEqualTo(1);
  }

  @Test
  void maintenanceShowsInListingsAndFailsUnitCallsRetryablyForNCalls() {
    cloud.faults().maintenance(UnitRef.index(2), 3);

    List<CryptoUnit> first = cloud.listUnits(guid);
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () -> claim(2));
    List<CryptoUnit> second = cloud.listUnits(guid);
    List<CryptoUnit> third = cloud.listUnits(guid);

    assertThat(first.get(2).state()).isEqualTo(UnitState.MAINTENANCE);
    assertThat(first.get(0).state()).isEqualTo(UnitState.RESERVED);
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.retryable()).isTrue();
    assertThat(e.remediation()).get().asString().contains("maintenance");
    assertThat(second.get(2).state()).isEqualTo(UnitState.MAINTENANCE);
    assertThat(third.get(2).state()).isEqualTo(UnitState.RESERVED);
    claim(2);
  }

  @Test
  void latencyWaitsThroughTheSleeperThenTheCallProceeds() {
    cloud.faults().onAnyOperation().always().latency(Duration.ofMillis(50));

    claim(0);
    cloud.listUnits(guid);

    assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(50));
    assertThat(cloud.snapshot(guid).unit(0).state()).isEqualTo(UnitState.CLAIMED);
  }

  @Test
  void latencyAndAnErrorCanHitTheSameCall() {
    cloud.faults().onAnyOperation().always().latency(Duration.ofMillis(50))
        .on(Operation.CLAIM).error(500, "BOOM", "boom");

    assertThatThrownBy(() -> claim(0)).isInstanceOf(HttpServiceException.class);
    assertThat(clock.totalSlept()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void aMaintenanceFaultOnAnyOperationNeedsASpecificUnit() {
    assertThatThrownBy(() -> cloud.faults().onAnyOperation().maintenance())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("can never fire")
        .hasMessageContaining("specific unit");
    assertThatThrownBy(() -> cloud.faults().maintenance(UnitRef.any(), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("specific unit");
    assertThat(cloud.faults().pending()).isEmpty();
  }

  @Test
  void aMaintenanceFaultOnOneUnitLevelOperationHitsTheUnitOfTheCall() {
    cloud.faults().on(Operation.CLAIM).maintenance();

    assertThatThrownBy(() -> claim(0)).isInstanceOfSatisfying(HttpServiceException.class,
        e -> assertThat(e.status()).isEqualTo(503));
    claim(0);
  }

  @Test
  void aRuleForAUnitOnAnInstanceLevelOperationIsRefusedWithTheReason() {
    assertThatThrownBy(() -> cloud.faults().on(Operation.FIND_INSTANCE).unitIndex(0)
        .error(503, "DOWN", "down"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("can never fire")
        .hasMessageContaining("find-instance is an instance-level operation");
    assertThatThrownBy(() -> cloud.faults().on(Operation.GET_INSTANCE).unit("some-unit")
        .noHealthyUpstream())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concerns no unit");
    assertThatThrownBy(() -> cloud.faults().on(Operation.CREATE_INSTANCE).maintenance())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no unit can be in maintenance");
    assertThat(cloud.faults().pending()).isEmpty();
  }

  @Test
  void aPlainTextNoHealthyUpstreamIsARetryable503WithEnvoysText() {
    cloud.faults().on(Operation.CLAIM).noHealthyUpstream();

    assertThatThrownBy(() -> claim(0)).isInstanceOfSatisfying(HttpServiceException.class, e -> {
      assertThat(e.status()).isEqualTo(503);
      assertThat(e.getMessage()).contains("no healthy upstream");
      assertThat(e.retryable()).isTrue();
      assertThat(e.getCause()).isInstanceOf(InjectedGatewayAnswer.class);
    });
    claim(0);
  }

  @Test
  void aGatewayAnswerMustNotBeJson() {
    assertThatThrownBy(() -> cloud.faults().on(Operation.CLAIM)
        .gatewayAnswer(502, "application/json", "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-JSON");
    cloud.faults().on(Operation.CLAIM).gatewayPage(504);
    assertThatThrownBy(() -> claim(0)).isInstanceOfSatisfying(HttpServiceException.class,
        e -> assertThat(e.status()).isEqualTo(504));
  }

  @Test
  void chaosWithTheSameSeedFailsTheSameCalls() {
    assertThat(chaosPattern(11)).isEqualTo(chaosPattern(11)).contains(true).contains(false);
  }

  private List<Boolean> chaosPattern(long seed) {
    InMemoryDedicatedCloud c = InMemoryDedicatedCloud.builder().clock(clock).build();
    String g = c.arrange().activeInstance(InstanceRequest.named("chaos")).guid();
    c.faults().chaos(0.5, seed);
    List<Boolean> failed = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      try {
        c.listUnits(g);
        failed.add(false);
      } catch (KpDedicatedException e) {
        assertThat(e.retryable()).isTrue();
        failed.add(true);
      }
    }
    return failed;
  }

  @Test
  void callsServedOutsideTheCloudGoThroughTheSameFaultQueue() {
    cloud.faults().on(Operation.TOKEN).error(401, "BXNIM0415E", "api key not found");

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> cloud.admitCall(Operation.TOKEN));
    cloud.admitCall(Operation.TOKEN);

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.retryable()).isFalse();
    assertThat(cloud.stats().calls(Operation.TOKEN)).isEqualTo(2);
  }

  @Test
  void afterTheCrashPointEveryCallFailsUntilCleared() {
    cloud.faults().crashAfter(2);

    cloud.listUnits(guid);
    claim(0);
    Throwable crash = catchThrowable(() -> claim(1));
    Throwable later = catchThrowable(() -> cloud.listUnits(guid));

    assertThat(crash).isInstanceOf(SimulatedCrashException.class);
    assertThat(((SimulatedCrashException) crash).retryable()).isFalse();
    assertThat(later).isInstanceOf(SimulatedCrashException.class);
    assertThat(cloud.faults().crashed()).isTrue();
    assertThat(cloud.snapshot(guid).unit(1).state()).isEqualTo(UnitState.RESERVED);
    cloud.faults().clear();
    claim(1);
  }
}
