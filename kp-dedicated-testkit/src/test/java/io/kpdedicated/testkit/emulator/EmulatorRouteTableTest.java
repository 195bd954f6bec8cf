package io.kpdedicated.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator's route table over real loopback HTTP: an unknown path is a 404 and a known path
 * with another method a 405 naming the allowed methods, each in the error format of the path's API
 * family.
 */
class EmulatorRouteTableTest {
  private LoopbackEmulator emulator;
  private Control control;

  @BeforeEach
  void start() {
    emulator = LoopbackEmulator.builder()
        .cloud(InMemoryDedicatedCloud.builder().importKeyPairs(Keys.IMPORT_POOL).build())
        .build().start();
    control = new Control(emulator.baseUri());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void anUnknownPlatformPathIsA404InThePlatformFormat() {
    Control.Answer a = control.send("GET", "/v2/no_such_thing", null);

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.json().get("error_code").asText()).isEqualTo("NOT_FOUND");
    assertThat(a.json().get("status_code").asInt()).isEqualTo(404);
    assertThat(a.json().get("message").asText()).contains("GET /v2/no_such_thing");
  }

  @Test
  void anUnknownCryptoUnitPathIsA404InTheKeyProtectFormat() {
    Control.Answer a = control.send("POST", "/api/v1/crypto_units/u-1/reboot", "{}");

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.json().at("/metadata/collectionType").asText())
        .isEqualTo("application/vnd.ibm.kms.error+json");
    assertThat(a.json().at("/resources/0/reasons/0/code").asText()).isEqualTo("NOT_FOUND");
  }

  @Test
  void anUnknownIamPathIsA404InTheIamFormat() {
    Control.Answer a = control.send("GET", "/identity/keys", null);

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.json().get("errorCode").asText()).isEqualTo("NOT_FOUND");
    assertThat(a.json().at("/context/requestId").asText()).isNotBlank();
  }

  @Test
  void aKnownPathWithAnotherMethodIsA405ThatNamesTheAllowedMethods() {
    Control.Answer token = control.send("GET", "/identity/token", null);
    Control.Answer units = control.send("DELETE", "/api/v1/cryptounits", null);
    Control.Answer faults = control.send("PUT", "/emulator/v1/faults", "[]");
    Control.Answer session = control.send("PUT", "/api/v1/crypto_units/u-1/sessions/s-1", "{}");

    assertThat(token.status()).isEqualTo(405);
    assertThat(token.json().get("errorCode").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(token.raw().headers().firstValue("Allow")).hasValue("POST");
    assertThat(units.status()).isEqualTo(405);
    assertThat(units.json().at("/resources/0/reasons/0/code").asText())
        .isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(units.raw().headers().firstValue("Allow")).hasValue("GET");
    assertThat(faults.status()).isEqualTo(405);
    assertThat(faults.json().get("error_code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(faults.raw().headers().firstValue("Allow")).hasValue("DELETE, GET, POST");
    assertThat(session.status()).isEqualTo(405);
    assertThat(session.raw().headers().firstValue("Allow")).hasValue("DELETE");
  }

  @Test
  void aRefused405ChangesNothingAndNeedsNoToken() {
    Control.Answer before = control.send("GET", "/emulator/v1/state", null);

    Control.Answer a = control.send("PATCH", "/v2/resource_instances", "{}");

    assertThat(a.status()).isEqualTo(405);
    assertThat(a.raw().headers().firstValue("Allow")).hasValue("GET, POST");
    assertThat(control.send("GET", "/emulator/v1/state", null).json()).isEqualTo(before.json());
  }

  @Test
  void theTableBindsPathParametersAndPrefersLiteralSegments() {
    RouteTable table = new RouteTable()
        .add("GET", "/api/v1/{service}/plan", r -> Reply.text(200, "text/plain", "plan of "
            + r.param("service")))
        .add("GET", "/api/v1/kms/plan", r -> Reply.text(200, "text/plain", "literal"));

    Reply literal = table.dispatch(request("GET", "/api/v1/kms/plan"));
    Reply bound = table.dispatch(request("GET", "/api/v1/other/plan"));

    assertThat(new String(literal.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("literal");
    assertThat(new String(bound.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("plan of other");
    assertThat(table.describe()).containsExactly("GET /api/v1/{service}/plan",
        "GET /api/v1/kms/plan");
  }

  private static EmulatorRequest request(String method, String path) {
    return new EmulatorRequest(method, path, RequestReader.segments(path), Map.of(), null,
        new byte[0], Map.of());
  }

  @Test
  void everyRouteOfTheEmulatorIsInItsTable() {
    List<String> routes = new EmulatorHandler(emulator, emulator.cloud(),
        new IssuedTokens(emulator.cloud().clock(), java.time.Duration.ofHours(1)), "k").routes();

    assertThat(routes).contains("POST /identity/token", "GET /v2/resource_instances",
        "POST /v2/resource_instances", "GET /v2/resource_instances/{id}",
        "GET /api/v1/cryptounits", "POST /api/v1/cryptounits/claim",
        "POST /api/v1/crypto_units/{unit}/zeroize", "GET /api/v1/cryptouser/metadata",
        "POST /api/v1/crypto_units/{unit}/sessions",
        "DELETE /api/v1/crypto_units/{unit}/sessions/{session}",
        "POST /api/v1/crypto_units/{unit}/sessions/{session}/master_keys/import",
        "POST /emulator/v1/faults", "GET /emulator/v1/state");
  }
}
