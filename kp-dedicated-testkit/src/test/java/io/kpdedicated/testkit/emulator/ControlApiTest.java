package io.kpdedicated.testkit.emulator;

import io.kpdedicated.http.HttpServiceException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.HttpTransport;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlApiTest {
  private ManualClock clock;
  private InMemoryDedicatedCloud cloud;
  private LoopbackEmulator emulator;
  private Control control;
  private HttpTransport transport;
  private ServiceInstance instance;
  private InstanceTarget target;

  @BeforeEach
  void start() {
    clock = ManualClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    cloud = InMemoryDedicatedCloud.builder().clock(clock).sleeper(clock.sleeper())
        .importKeyPairs(Keys.IMPORT_POOL).build();
    emulator = LoopbackEmulator.builder().cloud(cloud).build().start();
    control = new Control(emulator.baseUri());
    instance = emulator.createActiveInstance("kp-ctl", 2);
    transport = HttpTransport.builderFromEnvironment(emulator.environment()).clock(clock).build();
    target = HttpTransport.targetFromEnvironment(emulator.environment()).orElseThrow();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void anErrorFaultIsServedOnceWithItsStatusCodeMessageAndRetryAfter() {
    Control.Answer added = control.fault("{\"operation\":\"list-units\",\"status\":503,"
        + "\"code\":\"UPSTREAM\",\"message\":\"no healthy upstream\",\"retry_after\":4,\"times\":1}");

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> transport.cryptoUnits().listUnits(target));

    assertThat(added.json().get("added").get(0).get("kind").asText()).isEqualTo("error");
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.serviceCode()).contains("UPSTREAM");
    assertThat(e.getMessage()).contains("no healthy upstream");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(4));
    assertThat(transport.cryptoUnits().listUnits(target)).hasSize(2);
  }

  @Test
  void aFaultCanTargetAUnitByIdOrByIndex() {
    String unit1 = cloud.snapshot(instance.guid()).unit(1).id();
    control.fault("{\"operation\":\"claim\",\"unit\":\"" + unit1 + "\",\"status\":500}");
    control.fault("{\"operation\":\"zeroize\",\"unit\":0,\"status\":502}");

    String unit0 = cloud.snapshot(instance.guid()).unit(0).id();
    transport.cryptoUnits().claim(target, unit0, io.kpdedicated.crypto.RsaKeys.toPkcs1Pem(Keys.ADMIN.publicKey()));
    assertThatThrownBy(() -> transport.cryptoUnits().claim(target, unit1,
        io.kpdedicated.crypto.RsaKeys.toPkcs1Pem(Keys.ADMIN.publicKey())))
        .isInstanceOfSatisfying(HttpServiceException.class, e -> assertThat(e.status()).isEqualTo(500));
    assertThatThrownBy(() -> transport.cryptoUnits().zeroize(target, unit0))
        .isInstanceOfSatisfying(HttpServiceException.class, e -> assertThat(e.status()).isEqualTo(502));
  }

  @Test
  void aConnectionDropFaultClosesTheConnectionWithoutAnAnswer() {
    // A POST: the JDK client may silently repeat an idempotent GET on a fresh connection.
    String unit0 = cloud.snapshot(instance.guid()).unit(0).id();
    String pem = io.kpdedicated.crypto.RsaKeys.toPkcs1Pem(Keys.ADMIN.publicKey());
    control.fault("{\"operation\":\"claim\",\"kind\":\"connection-drop\"}");

    TransportException e = catchThrowableOfType(TransportException.class,
        () -> transport.cryptoUnits().claim(target, unit0, pem));

    assertThat(e.retryable()).isTrue();
    assertThat(cloud.snapshot(instance.guid()).unit(0).admin()).isNull();
    transport.cryptoUnits().claim(target, unit0, pem);
    assertThat(cloud.snapshot(instance.guid()).unit(0).admin()).isEqualTo(Keys.ADMIN.publicKey());
  }

  @Test
  void aMaintenanceFaultShowsTheUnitInMaintenanceAndFailsItsCallsRetryably() {
    control.fault("{\"kind\":\"maintenance\",\"unit\":\"0\",\"times\":2}");

    assertThat(transport.cryptoUnits().listUnits(target).get(0).rawState()).isEqualTo("maintenance");
    String unit0 = cloud.snapshot(instance.guid()).unit(0).id();
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () -> transport.cryptoUnits()
        .claim(target, unit0, io.kpdedicated.crypto.RsaKeys.toPkcs1Pem(Keys.ADMIN.publicKey())));
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("maintenance");
    assertThat(transport.cryptoUnits().listUnits(target).get(0).rawState()).isEqualTo("reserved");
  }

  @Test
  void aLatencyFaultWaitsThroughTheCloudsSleeper() {
    control.fault("{\"operation\":\"list-units\",\"kind\":\"latency\",\"latency_ms\":1500}");

    transport.cryptoUnits().listUnits(target);

    assertThat(clock.sleeps()).contains(Duration.ofMillis(1500));
  }

  @Test
  void aTokenFaultFailsTheIamCall() {
    control.fault("{\"operation\":\"token\",\"status\":503}");

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> transport.cryptoUnits().listUnits(target));

    assertThat(e.operation()).isEqualTo(Operation.TOKEN);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void listsAndClearsPendingFaults() {
    control.fault("[{\"operation\":\"claim\",\"status\":500,\"times\":\"always\"},"
        + "{\"kind\":\"maintenance\",\"unit\":\"1\",\"times\":3}]");

    JsonNode pending = control.send("GET", "/emulator/v1/faults", null).json().get("pending");
    assertThat(pending).hasSize(2);
    assertThat(pending.get(0).get("times").asText()).isEqualTo("always");
    assertThat(pending.get(1).get("unit").asText()).isEqualTo("1");

    control.clearFaults();

    assertThat(control.send("GET", "/emulator/v1/faults", null).json().get("pending")).isEmpty();
  }

  @Test
  void refusesFaultsItCannotUnderstandSayingWhy() {
    assertThat(control.send("POST", "/emulator/v1/faults", "{\"operation\":\"fly\",\"status\":500}"))
        .satisfies(a -> {
          assertThat(a.status()).isEqualTo(400);
          assertThat(a.json().get("message").asText()).contains("unknown operation", "claim");
        });
    assertThat(control.send("POST", "/emulator/v1/faults", "{\"operation\":\"claim\"}").status()).isEqualTo(400);
    assertThat(control.send("POST", "/emulator/v1/faults", "{\"kind\":\"maintenance\"}").status()).isEqualTo(400);
    assertThat(control.send("POST", "/emulator/v1/faults", "{\"status\":200}").status()).isEqualTo(400);
    assertThat(control.send("POST", "/emulator/v1/faults", "not json").status()).isEqualTo(400);
    assertThat(cloud.faults().pending()).isEmpty();
  }

  @Test
  void theStateShowsInstancesUnitsStatesAndCheckValues() {
    String unit0 = cloud.arrange(instance.guid()).unit(0).claimedBy(Keys.ADMIN.publicKey())
        .withMasterKey("KPD", new byte[32]).withCryptoUser().id();

    JsonNode state = control.state();

    JsonNode i = state.get("instances").get(0);
    assertThat(i.get("guid").asText()).isEqualTo(instance.guid());
    assertThat(i.get("state").asText()).isEqualTo("active");
    JsonNode u0 = i.get("units").get(0);
    assertThat(u0.get("id").asText()).isEqualTo(unit0);
    assertThat(u0.get("state").asText()).isEqualTo("kms-initialized");
    assertThat(u0.get("claimed").asBoolean()).isTrue();
    assertThat(u0.get("key_check_value").asText()).matches("[0-9A-F]{10}");
    assertThat(i.get("units").get(1).get("state").asText()).isEqualTo("reserved");
    assertThat(i.get("units").get(1).get("key_check_value").isNull()).isTrue();
  }

  @Test
  void createsInstancesAndRevokesTokensOnRequest() {
    Control.Answer created = control.send("POST", "/emulator/v1/instances",
        "{\"name\":\"kp-more\",\"crypto_units\":3}");
    transport.cryptoUnits().listUnits(target);
    long before = emulator.tokensIssued();

    assertThat(control.send("POST", "/emulator/v1/tokens/revoke", null).status()).isEqualTo(204);
    transport.cryptoUnits().listUnits(target);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("extensions").get("crypto_units").asInt()).isEqualTo(3);
    assertThat(emulator.tokensIssued()).isEqualTo(before + 1);
  }

  @Test
  void theStandaloneMainPrintsTheEnvironmentOfItsInstance() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LoopbackEmulator standalone = EmulatorMain.start(new String[] {"--units", "3", "--name", "demo",
        "--api-key", "demo-key"}, new PrintStream(out, true, StandardCharsets.UTF_8))) {
      String printed = out.toString(StandardCharsets.UTF_8);
      Map<String, String> env = new java.util.LinkedHashMap<>();
      printed.lines().filter(l -> l.startsWith("export ")).forEach(l -> {
        String kv = l.substring("export ".length());
        env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      });

      assertThat(env).containsKeys("KP_TARGET_ADDR", "KP_INSTANCE_ID", "IBMCLOUD_API_KEY",
          "IBMCLOUD_IAM_ENDPOINT", "IBMCLOUD_RC_ENDPOINT");
      assertThat(env.get("IBMCLOUD_API_KEY")).isEqualTo("demo-key");
      HttpTransport t = HttpTransport.fromEnvironment(env);
      assertThat(t.cryptoUnits().listUnits(HttpTransport.targetFromEnvironment(env).orElseThrow()))
          .hasSize(3);
      assertThat(t.provisioning().findInstanceByName("demo")).isPresent();
      assertThat(printed).contains(standalone.baseUri().toString());
    }
    assertThatThrownBy(() -> EmulatorMain.start(new String[] {"--units", "4"}, System.out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 or 3");
  }
}
