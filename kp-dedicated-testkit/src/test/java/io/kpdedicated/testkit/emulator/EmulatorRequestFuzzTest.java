package io.kpdedicated.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the emulator's request parsing over loopback: a route (with the instance's real GUID, a
 * real unit and session), a method, a choice of real, forged, duplicated or missing headers, and a
 * body, sent as raw bytes. Invariants: the answer is never a 5xx (no faults are armed), and a
 * refused request (4xx) leaves the emulator's state as it was.
 *
 * <p>{@code mvn verify} replays the inputs under {@code src/test/resources/.../EmulatorRequestFuzzTestInputs};
 * EMULATOR.md says how to fuzz for longer.
 */
class EmulatorRequestFuzzTest {
  private static final String[] METHODS = {"GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"};
  private static final String[] ROUTES = {
      "/identity/token", "/v2/resource_instances", "/v2/resource_instances/{guid}",
      "/v2/resource_groups", "/api/v1", "/api/v1/x/plan", "/api/v1/cryptounits",
      "/api/v1/cryptounits/claim", "/api/v1/cryptouser/metadata",
      "/api/v1/crypto_units/{unit}/zeroize", "/api/v1/crypto_units/{unit}/sessions",
      "/api/v1/crypto_units/{unit}/sessions/{session}",
      "/api/v1/crypto_units/{unit}/sessions/{session}/users",
      "/api/v1/crypto_units/{unit}/sessions/{session}/master_keys",
      "/api/v1/crypto_units/{unit}/sessions/{session}/master_keys/import",
      "/emulator/v1/state", "/emulator/v1/faults", "/emulator/v1/instances", "/emulator/v1/chaos",
      "/{fuzz}"};
  private static final String[] HEADERS = {"Authorization", "Instance-ID", "Bluemix-Instance",
      "Crypto-Unit-ID", "Content-Type", "X-KPD-Signature-Version", "X-KPD-Timestamp", "X-KPD-Nonce",
      "X-KPD-Content-SHA256", "X-KPD-Signature", "X-Request-ID", "X-Correlation-ID"};

  private static ManualClock clock;
  private static InMemoryDedicatedCloud cloud;
  private static LoopbackEmulator emulator;
  private static Control control;
  private static String token;
  private static String guid;
  private static String unit;
  private static String session;

  private static synchronized void start() {
    if (emulator != null) {
      return;
    }
    clock = ManualClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    cloud = InMemoryDedicatedCloud.builder().clock(clock).sleeper(clock.sleeper())
        .importKeyPairs(Keys.IMPORT_POOL).maxSessions(64, 10_000).build();
    emulator = LoopbackEmulator.builder().cloud(cloud).requestReadTimeout(Duration.ofSeconds(2))
        .build().start();
    control = new Control(emulator.baseUri());
    RawClient raw = new RawClient(emulator.baseUri());
    token = raw.token(emulator.apiKey());
    ServiceInstance si = emulator.createActiveInstance("kp-fuzz", 2);
    guid = si.guid();
    unit = cloud.arrange(guid).unit(0).claimedBy(Keys.ADMIN.publicKey()).id();
    openSession(raw);
  }

  /** Puts back what a successful zeroize or session close took away, so later inputs reach deep. */
  private static void heal() {
    if (cloud.snapshot(guid).unit(0).admin() == null) {
      cloud.arrange(guid).unit(0).claimedBy(Keys.ADMIN.publicKey());
    }
    openSession(new RawClient(emulator.baseUri()));
  }

  private static void openSession(RawClient raw) {
    String path = "/api/v1/crypto_units/" + unit + "/sessions";
    String body = "{\"user_name\":\"ADMIN\"}";
    RawClient.Answer a = raw.send("POST", path, RawClient.merge(
        RawClient.instanceHeaders(token, guid, "fuzz"), RawClient.merge(
            Map.of("Content-Type", "application/json"),
            RawClient.signature(Keys.ADMIN, "POST", path, unit, body, clock.instant()))), body);
    session = a.json().get("session_id").asText();
  }

  @AfterAll
  static synchronized void stop() {
    if (emulator != null) {
      emulator.close();
      emulator = null;
    }
  }

  /** Header text the JDK server can carry: no line breaks, Latin-1. */
  private static String headerSafe(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c != '\r' && c != '\n' && c < 0x100) {
        b.append(c);
      }
    }
    return b.toString();
  }

  @FuzzTest(maxDuration = "2m")
  void requestParsing(FuzzedDataProvider data) {
    start();
    String method = data.pickValue(METHODS);
    String path = data.pickValue(ROUTES).replace("{guid}", guid).replace("{unit}", unit)
        .replace("{session}", session).replace("{fuzz}", data.consumeString(40)
            .replaceAll("[^A-Za-z0-9%/._~+-]", ""));
    if (data.consumeBoolean()) {
      path = path + "?" + data.consumeString(40).replaceAll("[^A-Za-z0-9%=&._~+-]", "");
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Host", List.of("127.0.0.1"));
    for (String h : HEADERS) {
      switch (data.consumeInt(0, 3)) {
        case 0:
          break;
        case 1:
          headers.put(h, List.of(realValue(h, method, path)));
          break;
        case 2:
          headers.put(h, List.of(headerSafe(data.consumeString(80))));
          break;
        default:
          headers.put(h, List.of(realValue(h, method, path), headerSafe(data.consumeString(40))));
          break;
      }
    }
    byte[] body = data.consumeRemainingAsBytes();
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    headers.forEach((k, vs) -> vs.forEach(v -> head.append(k).append(": ").append(v).append("\r\n")));
    head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
    byte[] request = new byte[head.length() + body.length];
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(h, 0, request, 0, h.length);
    System.arraycopy(body, 0, request, h.length, body.length);

    JsonNode before = control.state();
    RawSocket.Answer answer = RawSocket.exchange(emulator.port(),
        new String(request, StandardCharsets.ISO_8859_1));
    JsonNode after = control.state();
    emulator.clearFaults();

    if (answer.status() >= 200 && answer.status() < 300
        && (method.equals("DELETE") || path.contains("zeroize"))) {
      heal();
    }
    assertThat(answer.status()).as(answer.text()).isLessThan(500);
    if (answer.status() >= 400) {
      assertThat(after).as("a refused request changed the state: " + answer.text()).isEqualTo(before);
    }
  }

  private static String realValue(String header, String method, String path) {
    switch (header) {
      case "Authorization":
        return "Bearer " + token;
      case "Instance-ID":
      case "Bluemix-Instance":
        return guid;
      case "Crypto-Unit-ID":
        return unit;
      case "Content-Type":
        return path.startsWith("/identity") ? "application/x-www-form-urlencoded" : "application/json";
      case "X-KPD-Signature-Version":
        return "KPD-SIG-1";
      case "X-KPD-Timestamp":
        return Long.toString(clock.instant().toEpochMilli());
      case "X-KPD-Nonce":
        return Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);
      case "X-KPD-Content-SHA256":
        return "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
      case "X-KPD-Signature":
        return "AAAA";
      default:
        return method + "-fuzz";
    }
  }
}
