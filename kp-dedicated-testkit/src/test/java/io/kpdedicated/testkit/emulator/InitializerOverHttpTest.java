package io.kpdedicated.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationListener;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.KdfParameters;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.http.HttpTransport;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InstanceSnapshot;
import io.kpdedicated.testkit.ManualClock;
import io.kpdedicated.testkit.UnitSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The complete initializer through the HTTP transport against the loopback emulator, over real
 * sockets. Time is a manual clock: retries and polls advance it instead of sleeping.
 */
class InitializerOverHttpTest {
  private static final String NAME = "kp-it";

  @TempDir
  Path dir;

  private ManualClock clock;
  private InMemoryDedicatedCloud cloud;
  private LoopbackEmulator emulator;
  private HttpTransport transport;
  private Control control;
  private final List<InitializationEvent> events = new ArrayList<>();

  @BeforeEach
  void start() {
    clock = ManualClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    cloud = InMemoryDedicatedCloud.builder().clock(clock).sleeper(clock.sleeper())
        .importKeyPairs(Keys.IMPORT_POOL).provisioningPolls(2).build();
    emulator = LoopbackEmulator.builder().cloud(cloud).build().start();
    transport = HttpTransport.builderFromEnvironment(emulator.environment()).clock(clock).build();
    control = new Control(emulator.baseUri());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private List<KeyshareLocation> shares() {
    List<KeyshareLocation> out = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      out.add(new KeyshareLocation(dir.resolve("share-" + i + ".json"), Passphrase.of("passphrase-" + i)));
    }
    return out;
  }

  private DedicatedInitializer initializer(int units, InitializationListener extra) {
    return DedicatedInitializer.builder()
        .transport(transport.withCorrelationId("run-" + events.size()))
        .instance(InstanceSelector.createOrReuse(new InstanceRequest(NAME, "us-south", null, units)))
        .adminIdentity(AdminIdentitySource.of(Keys.ADMIN))
        .masterKey(MasterKeySource.generate("KPD", 2, shares()))
        .keyshareWriteOptions(KeyshareWriteOptions.builder().kdf(KdfParameters.argon2id(64, 1, 1)).build())
        .retryPolicy(new RetryPolicy(4, Duration.ofMillis(200), 2.0, Duration.ofSeconds(5), 0.0))
        .waitPolicy(new WaitPolicy(Duration.ofSeconds(5), Duration.ofSeconds(30), 1.5, Duration.ofMinutes(30)))
        .maintenanceWaitPolicy(new WaitPolicy(Duration.ofSeconds(5), Duration.ofSeconds(30), 1.5, Duration.ofMinutes(10)))
        .clock(clock)
        .sleeper(clock.sleeper())
        .listener(e -> {
          synchronized (events) {
            events.add(e);
          }
          if (extra != null) {
            extra.onEvent(e);
          }
        })
        .build();
  }

  private InitializationResult run(int units) {
    return initializer(units, null).run();
  }

  private InstanceSnapshot instance() {
    return cloud.snapshot(NAME);
  }

  private void assertFullyInitialized(InitializationResult result, int units) {
    assertThat(result.succeeded()).as(result.toString()).isTrue();
    InstanceSnapshot snap = instance();
    assertThat(snap.units()).hasSize(units);
    assertThat(snap.states()).containsOnly(UnitState.KMS_INITIALIZED);
    CheckValue kcv = result.checkValue().orElseThrow();
    assertThat(snap.units()).extracting(u -> u.checkValue().orElseThrow()).containsOnly(kcv);
    assertThat(snap.units()).allSatisfy(u -> assertThat(u.hasCryptoUser()).isTrue());
    JsonNode state = control.state();
    JsonNode stateUnits = state.get("instances").get(0).get("units");
    assertThat(stateUnits).hasSize(units);
    for (JsonNode u : stateUnits) {
      assertThat(u.get("state").asText()).isEqualTo("kms-initialized");
      assertThat(u.get("key_check_value").asText()).isEqualTo(kcv.text());
    }
  }

  @ParameterizedTest(name = "{0} units")
  @ValueSource(ints = {2, 3})
  void initializesAFreshInstanceEndToEnd(int units) {
    InitializationResult result = run(units);

    assertFullyInitialized(result, units);
    assertThat(result.units()).extracting(UnitOutcome::status).containsOnly(UnitOutcome.Status.SUCCEEDED);
    for (UnitSnapshot u : instance().units()) {
      assertThat(cloud.stats().changes(Operation.CLAIM, u.id())).isEqualTo(1);
      assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY, u.id())).isEqualTo(1);
      assertThat(cloud.stats().changes(Operation.ADD_USER, u.id())).isEqualTo(1);
    }
    assertThat(emulator.tokensIssued()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} failing on unit 1 until cleared")
  @ValueSource(strings = {"list-units", "claim", "crypto-user-metadata", "open-session", "list-users",
      "add-user", "list-master-keys", "import-master-key"})
  void resumesAfterAFailureThatOutlastsTheRetriesOnAnyUnitStep(String operation) {
    String unit = operation.equals("list-units") || operation.equals("crypto-user-metadata") ? "*" : "1";
    control.fault("{\"operation\":\"" + operation + "\",\"unit\":\"" + unit + "\",\"status\":503,"
        + "\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"down for the test\",\"times\":\"always\"}");

    KpDedicatedException first = catchThrowableOfType(KpDedicatedException.class, () -> run(3));

    assertThat(first).as("the first run fails while %s fails", operation).isNotNull();
    List<Integer> claimsBefore = claimsPerUnit();
    control.clearFaults();
    InitializationResult second = run(3);

    assertFullyInitialized(second, 3);
    for (UnitSnapshot u : instance().units()) {
      assertThat(cloud.stats().changes(Operation.CLAIM, u.id())).as("claims of unit %s", u.index())
          .isEqualTo(1);
      assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY, u.id())).isEqualTo(1);
      assertThat(cloud.stats().changes(Operation.ADD_USER, u.id())).isEqualTo(1);
    }
    assertThat(claimsBefore).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(1));
  }

  private List<Integer> claimsPerUnit() {
    List<Integer> out = new ArrayList<>();
    cloud.snapshot().instances().forEach(i -> i.units().forEach(
        u -> out.add(cloud.stats().changes(Operation.CLAIM, u.id()))));
    return out;
  }

  @ParameterizedTest(name = "{0} failing until cleared")
  @ValueSource(strings = {"find-instance", "create-instance", "get-instance", "token"})
  void resumesAfterAProvisioningStepFailedForGood(String operation) {
    control.fault("{\"operation\":\"" + operation + "\",\"status\":500,\"times\":\"always\"}");

    KpDedicatedException first = catchThrowableOfType(KpDedicatedException.class, () -> run(2));

    assertThat(first).isNotNull();
    control.clearFaults();
    assertFullyInitialized(run(2), 2);
    assertThat(cloud.stats().changes(Operation.CREATE_INSTANCE)).isEqualTo(1);
  }

  @Test
  void survivesTokenExpiryInTheMiddleOfTheRun() {
    AtomicBoolean revoked = new AtomicBoolean();
    InitializationResult result = initializer(3, e -> {
      if (e instanceof InitializationEvent.StepSucceeded s && s.step() == Step.CLAIM
          && revoked.compareAndSet(false, true)) {
        emulator.revokeTokens();
      }
    }).run();

    assertFullyInitialized(result, 3);
    assertThat(revoked).isTrue();
    assertThat(emulator.tokensIssued()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void waitsWhatRetryAfterAsksOnA429() {
    control.fault("{\"operation\":\"import-master-key\",\"unit\":\"0\",\"status\":429,"
        + "\"code\":\"TOO_MANY_REQUESTS\",\"retry_after\":7,\"times\":2}");

    InitializationResult result = run(2);

    assertFullyInitialized(result, 2);
    assertThat(clock.sleeps()).filteredOn(d -> d.equals(Duration.ofSeconds(7))).hasSize(2);
    assertThat(cloud.stats().calls(Operation.IMPORT_MASTER_KEY, instance().unit(0).id())).isEqualTo(3);
  }

  @Test
  void retriesNoHealthyUpstream() {
    control.fault("{\"operation\":\"list-units\",\"status\":503,\"code\":\"UPSTREAM\","
        + "\"message\":\"no healthy upstream\",\"times\":2}");

    assertFullyInitialized(run(2), 2);
    assertThat(events).filteredOn(InitializationEvent.Retrying.class::isInstance)
        .map(e -> ((InitializationEvent.Retrying) e).cause().getMessage())
        .anySatisfy(m -> assertThat(m).contains("no healthy upstream"));
  }

  @Test
  void retriesEnvoysPlainTextNoHealthyUpstreamAndConverges() {
    cloud.faults().on(Operation.LIST_UNITS).times(2).noHealthyUpstream()
        .on(Operation.CLAIM).unitIndex(1).noHealthyUpstream();

    assertFullyInitialized(run(2), 2);
    assertThat(events).filteredOn(InitializationEvent.Retrying.class::isInstance)
        .map(e -> ((InitializationEvent.Retrying) e).cause())
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(c -> assertThat(c.getMessage()).contains("HTTP 503")
            .contains("no healthy upstream"));
    assertThat(cloud.faults().pending()).isEmpty();
  }

  @Test
  void theControlApiTakesAPlainTextAndAnHtmlGatewayFault() {
    control.fault("{\"operation\":\"list-units\",\"kind\":\"no-healthy-upstream\"}");
    control.fault("{\"operation\":\"open-session\",\"unit\":\"0\",\"kind\":\"gateway-page\","
        + "\"status\":502}");

    assertFullyInitialized(run(2), 2);
    assertThat(events).filteredOn(InitializationEvent.Retrying.class::isInstance)
        .map(e -> ((InitializationEvent.Retrying) e).cause().getMessage())
        .anySatisfy(m -> assertThat(m).contains("no healthy upstream"))
        .anySatisfy(m -> assertThat(m).contains("HTTP 502").contains("HTML"));
  }

  @Test
  void retriesADroppedConnection() {
    control.fault("{\"operation\":\"claim\",\"unit\":\"1\",\"kind\":\"connection-drop\",\"times\":2}");

    assertFullyInitialized(run(3), 3);
    assertThat(cloud.stats().calls(Operation.CLAIM, instance().unit(1).id())).isEqualTo(3);
    assertThat(cloud.stats().changes(Operation.CLAIM, instance().unit(1).id())).isEqualTo(1);
  }

  @Test
  void waitsForAUnitInMaintenance() {
    control.fault("{\"kind\":\"maintenance\",\"unit\":\"1\",\"times\":3}");

    assertFullyInitialized(run(3), 3);
  }

  @ParameterizedTest(name = "{0} performed but its answer lost")
  @ValueSource(strings = {"claim", "import-master-key", "add-user"})
  void recoversWhenTheServicePerformedACallButTheAnswerWasLost(String operation) {
    control.fault("{\"operation\":\"" + operation + "\",\"unit\":\"0\",\"kind\":\"response-lost\"}");

    assertFullyInitialized(run(2), 2);
  }

  @ParameterizedTest(name = "a {0} answer to import-master-key")
  @ValueSource(strings = {"truncated", "wrong-types", "html", "empty", "huge"})
  void resumesAfterMalformedAnswers(String body) {
    control.fault("{\"operation\":\"import-master-key\",\"unit\":\"1\",\"kind\":\"malformed\","
        + "\"body\":\"" + body + "\",\"times\":\"always\"}");

    io.kpdedicated.core.PartialFailureException first = catchThrowableOfType(
        io.kpdedicated.core.PartialFailureException.class, () -> run(2));

    assertThat(first).isNotNull();
    UnitOutcome failed = first.result().units().get(1);
    assertThat(failed.failed()).isTrue();
    assertThat(failed.failureIfAny()).get().isInstanceOf(io.kpdedicated.core.spi.TransportException.class);
    assertThat(first.result().units().get(0).failed()).isFalse();
    emulator.clearFaults();
    assertFullyInitialized(run(2), 2);
  }

  @Test
  void resumesAfterMalformedAnswersOnEveryKindOfCall() {
    control.fault("[{\"operation\":\"list-units\",\"kind\":\"malformed\",\"body\":\"html\"},"
        + "{\"operation\":\"open-session\",\"unit\":\"0\",\"kind\":\"malformed\",\"body\":\"empty\"},"
        + "{\"operation\":\"list-users\",\"kind\":\"malformed\",\"body\":\"wrong-types\"},"
        + "{\"operation\":\"crypto-user-metadata\",\"kind\":\"malformed\",\"body\":\"truncated\"},"
        + "{\"operation\":\"get-instance\",\"kind\":\"malformed\",\"body\":\"huge\"},"
        + "{\"operation\":\"token\",\"kind\":\"malformed\",\"body\":\"truncated\"}]");

    assertFullyInitialized(run(2), 2);
    assertThat(control.send("GET", "/emulator/v1/faults", null).json().get("pending")).isEmpty();
  }
}
