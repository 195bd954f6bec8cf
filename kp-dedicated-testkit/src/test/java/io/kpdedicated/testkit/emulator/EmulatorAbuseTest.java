package io.kpdedicated.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.http.SignedCommand;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.testkit.CloudSnapshot;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.ManualClock;
import io.kpdedicated.testkit.UnitSnapshot;
import io.kpdedicated.testkit.emulator.RawClient.Answer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests a careless or hostile client sends: every one is answered 4xx with a reason, and none
 * changes the emulator's state.
 */
class EmulatorAbuseTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private ManualClock clock;
  private InMemoryDedicatedCloud cloud;
  private LoopbackEmulator emulator;
  private RawClient raw;
  private Control control;
  private String token;
  private String guid;
  private String unit;

  @BeforeEach
  void start() {
    clock = ManualClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    cloud = InMemoryDedicatedCloud.builder().clock(clock).sleeper(clock.sleeper())
        .importKeyPairs(Keys.IMPORT_POOL).maxSessions(2, 3).build();
    emulator = LoopbackEmulator.builder().cloud(cloud).build().start();
    raw = new RawClient(emulator.baseUri());
    control = new Control(emulator.baseUri());
    token = raw.token(emulator.apiKey());
    ServiceInstance si = emulator.createActiveInstance("kp-abuse", 2);
    guid = si.guid();
    unit = cloud.arrange(guid).unit(0).claimedBy(Keys.ADMIN.publicKey()).id();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private Map<String, String> headers() {
    return RawClient.instanceHeaders(token, guid, "test");
  }

  private Answer openSession(String unitId) {
    String path = "/api/v1/crypto_units/" + unitId + "/sessions";
    String body = "{\"user_name\":\"ADMIN\"}";
    return raw.send("POST", path, RawClient.merge(headers(), RawClient.merge(
        Map.of("Content-Type", "application/json"),
        RawClient.signature(Keys.ADMIN, "POST", path, unitId, body, clock.instant()))), body);
  }

  private String session() {
    Answer a = openSession(unit);
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json().get("session_id").asText();
  }

  private String cryptoUserBody() {
    var m = cloud.metadata();
    return "{\"name\":\"" + m.userName() + "\",\"type\":\"kmsCryptoUser\",\"public_key\":\""
        + m.publicKeyPem().replace("\n", "\\n") + "\",\"attributes\":{\"CXI_GROUP\":\""
        + m.cxiGroup() + "\"}}";
  }

  private Answer listUsers(String session) {
    String path = "/api/v1/crypto_units/" + unit + "/sessions/" + session + "/users";
    return raw.send("GET", path, RawClient.merge(headers(),
        RawClient.signature(Keys.ADMIN, "GET", path, unit, null, clock.instant())), null);
  }

  private static String reasonCode(Answer a) {
    return a.json().get("resources").get(0).get("reasons").get(0).get("code").asText();
  }

  private static String reasonMessage(Answer a) {
    return a.json().get("resources").get(0).get("reasons").get(0).get("message").asText();
  }

  private UnitSnapshot unitNow() {
    return cloud.snapshot(guid).unit(0);
  }

  private static String rsaPem(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits, Keys.RANDOM);
    return RsaKeys.toPkcs1Pem((RSAPublicKey) g.generateKeyPair().getPublic());
  }

  // ---------------------------------------------------------------- bad request data is a 4xx

  @Test
  void aTokenFormWithABadPercentEscapeIsA400NotA500() {
    long before = emulator.tokensIssued();

    Answer a = raw.send("POST", "/identity/token", Map.of("Content-Type", FORM), "apikey=%zz");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().get("errorMessage").asText()).contains("percent-escape");
    assertThat(emulator.tokensIssued()).isEqualTo(before);
  }

  @Test
  void aTokenFormNamingTheApiKeyTwiceIsRefused() {
    Answer a = raw.send("POST", "/identity/token", Map.of("Content-Type", FORM),
        "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=" + emulator.apiKey()
            + "&apikey=other");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().get("errorMessage").asText()).contains("'apikey' more than once");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v2/resource_instances/%zz", "/v2/resource_instances?name=%e"})
  void badPercentEscapesInPathOrQueryAre400s(String target) {
    RawSocket.Answer a = RawSocket.exchange(emulator.port(), "GET " + target + " HTTP/1.1\r\n"
        + "Host: x\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");

    assertThat(a.status()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"certificate\":\"a\",\"certificate\":\"b\"}", "{\"certificate\":5}",
      "{\"certificate\":\"x\"} trailing", "{\"certificate\":\"x\"}{}", "[]", "nul", "{"})
  void aClaimWithABodyThatIsNotOneCleanJsonObjectIsA400AndClaimsNothing(String body) {
    String other = cloud.snapshot(guid).unit(1).id();
    Map<String, String> h = RawClient.merge(headers(), Map.of("Content-Type", "application/json",
        "Crypto-Unit-ID", other));

    Answer a = raw.send("POST", "/api/v1/cryptounits/claim", h, body);

    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(cloud.snapshot(guid).unit(1).admin()).isNull();
  }

  @Test
  void aUserWithABlankNameIsA400NotA500() {
    String session = session();
    String path = "/api/v1/crypto_units/" + unit + "/sessions/" + session + "/users";
    String body = "{\"name\":\" \",\"type\":\"admin\",\"public_key\":\"x\"}";

    Answer a = raw.send("POST", path, RawClient.merge(headers(), RawClient.merge(
        Map.of("Content-Type", "application/json"),
        RawClient.signature(Keys.ADMIN, "POST", path, unit, body, clock.instant()))), body);

    assertThat(a.status()).isBetween(400, 499);
    assertThat(unitNow().users()).hasSize(1);
  }

  @Test
  void aDeclaredBodyOverTheLimitIsA413BeforeItIsRead() {
    RawSocket.Answer a = RawSocket.exchange(emulator.port(), "POST /emulator/v1/faults HTTP/1.1\r\n"
        + "Host: x\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n"
        + "Connection: close\r\n\r\n{");

    assertThat(a.status()).isEqualTo(413);
    assertThat(a.body()).contains("REQUEST_TOO_LARGE");
  }

  @Test
  void anUnreadableContentLengthIsA400() {
    RawSocket.Answer a = RawSocket.exchange(emulator.port(), "POST /emulator/v1/faults HTTP/1.1\r\n"
        + "Host: x\r\nContent-Length: ten\r\nConnection: close\r\n\r\n");

    assertThat(a.status()).isEqualTo(400);
  }

  @Test
  void aHostileRequestIdIsNotEchoed() {
    Map<String, String> h = new LinkedHashMap<>(headers());
    h.put("X-Request-ID", "x".repeat(5000));

    Answer a = raw.send("GET", "/api/v1/cryptounits", h, null);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.raw().headers().firstValue("X-Request-ID").orElseThrow()).hasSizeLessThan(129);
  }

  // ---------------------------------------------------------------- signature and header rules

  @Test
  void aSignedCommandWithoutTheSignatureVersionIsRefusedWith401AndChangesNothing() {
    String session = session();
    String path = "/api/v1/crypto_units/" + unit + "/sessions/" + session + "/users";
    Map<String, String> h = RawClient.merge(headers(), RawClient.merge(
        Map.of("Content-Type", "application/json"),
        RawClient.signature(Keys.ADMIN, "POST", path, unit, cryptoUserBody(), clock.instant())));
    h.remove("X-KPD-Signature-Version");

    Answer a = raw.send("POST", path, h, cryptoUserBody());

    assertThat(a.status()).isEqualTo(401);
    assertThat(reasonCode(a)).isEqualTo("SIGNATURE_MISSING");
    assertThat(unitNow().hasCryptoUser()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Crypto-Unit-ID", "Authorization", "Instance-ID", "Bluemix-Instance",
      "X-KPD-Nonce", "X-KPD-Signature"})
  void aSecurityHeaderSentTwiceIsRefusedWith400AndChangesNothing(String header) {
    String other = cloud.snapshot(guid).unit(1).id();
    String body = "{\"certificate\":\"" + RsaKeys.toPkcs1Pem(Keys.ADMIN.publicKey()).replace("\n", "\\n")
        + "\"}";
    Map<String, String> h = RawClient.merge(headers(), Map.of("Content-Type", "application/json",
        "Crypto-Unit-ID", other, "X-KPD-Nonce", "AAAAAAAAAAAAAAAAAAAAAA", "X-KPD-Signature", "AA=="));
    StringBuilder request = new StringBuilder("POST /api/v1/cryptounits/claim HTTP/1.1\r\nHost: x\r\n");
    h.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
    String second = header.equals("Crypto-Unit-ID") ? unit
        : header.equals("Authorization") ? "Bearer invalid" : h.get(header);
    request.append(header).append(": ").append(second).append("\r\n");
    request.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length)
        .append("\r\nConnection: close\r\n\r\n").append(body);

    RawSocket.Answer a = RawSocket.exchange(emulator.port(), request.toString());

    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(a.body()).contains("DUPLICATE_HEADER").contains(header);
    assertThat(cloud.snapshot(guid).unit(1).admin()).isNull();
    assertThat(unitNow().admin()).isNotNull();
  }

  // ---------------------------------------------------------------- nonces and sessions

  @ParameterizedTest
  @ValueSource(strings = {"a", "!!!", "AAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAA AAAAA", "long"})
  void aNonceOutsideTheProtocolFormatIsRefusedBeforeTheUnitSeesIt(String nonce) {
    String n = nonce.equals("long") ? "A".repeat(10_000) : nonce;
    String session = session();
    String path = "/api/v1/crypto_units/" + unit + "/sessions/" + session + "/users";
    byte[] body = cryptoUserBody().getBytes(StandardCharsets.UTF_8);
    long ts = clock.instant().toEpochMilli();
    String digest = SignedCommand.sha256Hex(body);
    byte[] sig = Keys.ADMIN.sign(SignedCommand.signatureBase("POST", path, unit, ts, n, digest));
    Map<String, String> h = new LinkedHashMap<>(headers());
    h.put("Content-Type", "application/json");
    h.put("Crypto-Unit-ID", unit);
    h.put("X-KPD-Signature-Version", "KPD-SIG-1");
    h.put("X-KPD-Timestamp", Long.toString(ts));
    h.put("X-KPD-Nonce", n);
    h.put("X-KPD-Content-SHA256", digest);
    h.put("X-KPD-Signature", Base64.getEncoder().encodeToString(sig));

    Answer a = raw.send("POST", path, h, cryptoUserBody());

    assertThat(a.status()).as(a.body()).isEqualTo(401);
    assertThat(reasonCode(a)).isEqualTo("SIGNATURE_MALFORMED");
    assertThat(reasonMessage(a)).contains("X-KPD-Nonce");
    assertThat(unitNow().hasCryptoUser()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "{\"user_name\":5}", "{\"user_name\":\"root\"}", "not json",
      "{\"user_name\":\"ADMIN\"}{}"})
  void openingASessionWithAMalformedBodyIsA400AndOpensNothing(String body) {
    String path = "/api/v1/crypto_units/" + unit + "/sessions";

    Answer a = raw.send("POST", path, RawClient.merge(headers(), RawClient.merge(
        Map.of("Content-Type", "application/json"),
        RawClient.signature(Keys.ADMIN, "POST", path, unit, body, clock.instant()))), body);

    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(control.state().get("open_sessions").asInt()).isZero();
  }

  @Test
  void aSessionLeftIdleExpires() {
    String session = session();
    clock.advance(Duration.ofMinutes(4));
    assertThat(listUsers(session).status()).isEqualTo(200);

    clock.advance(Duration.ofMinutes(5));
    Answer a = listUsers(session);

    assertThat(a.status()).isEqualTo(404);
    assertThat(reasonCode(a)).isEqualTo("SESSION_NOT_FOUND");
    assertThat(reasonMessage(a)).contains("expired");
    assertThat(control.state().get("open_sessions").asInt()).isZero();
  }

  @Test
  void openSessionsAreCappedPerUnitAndInTotal() {
    String unit1 = cloud.arrange(guid).unit(1).claimedBy(Keys.ADMIN.publicKey()).id();
    session();
    session();

    Answer third = openSession(unit);
    assertThat(openSession(unit1).status()).isEqualTo(201);
    Answer overall = openSession(unit1);

    assertThat(third.status()).isEqualTo(429);
    assertThat(reasonCode(third)).isEqualTo("TOO_MANY_SESSIONS");
    assertThat(third.raw().headers().firstValue("Retry-After")).isPresent();
    assertThat(overall.status()).isEqualTo(503);
    assertThat(reasonCode(overall)).isEqualTo("SESSION_LIMIT_REACHED");
    assertThat(control.state().get("open_sessions").asInt()).isEqualTo(3);
  }

  @Test
  void aClosedSessionFreesItsPlace() {
    String first = session();
    session();
    String path = "/api/v1/crypto_units/" + unit + "/sessions/" + first;
    assertThat(raw.send("DELETE", path, headers(), null).status()).isEqualTo(204);

    assertThat(openSession(unit).status()).isEqualTo(201);
  }

  @Test
  void zeroizeEndsTheUnitsSessions() {
    String session = session();
    String path = "/api/v1/crypto_units/" + unit + "/zeroize";
    assertThat(raw.send("POST", path, RawClient.merge(headers(), Map.of("Crypto-Unit-ID", unit)), null)
        .status()).isEqualTo(204);

    assertThat(listUsers(session).status()).isEqualTo(404);
    assertThat(control.state().get("open_sessions").asInt()).isZero();
  }

  // ---------------------------------------------------------------- control API

  @ParameterizedTest
  @ValueSource(strings = {"\"99\"", "\"-1\"", "99", "-1", "3", "1.5", "\"no-such-unit\"", "true",
      "99999999999"})
  void aFaultForAUnitThatCannotExistIsRefusedNamingTheField(String unitJson) {
    Control.Answer a = control.send("POST", "/emulator/v1/faults",
        "{\"operation\":\"claim\",\"unit\":" + unitJson + ",\"status\":503}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().get("message").asText()).contains("'unit'");
    assertThat(control.state().get("pending_faults")).isEmpty();
  }

  @Test
  void aFaultForAKnownUnitIdOrIndexIsAccepted() {
    control.fault("{\"operation\":\"claim\",\"unit\":\"" + unit + "\",\"status\":503}");
    control.fault("{\"operation\":\"claim\",\"unit\":\"2\",\"status\":503}");

    assertThat(control.state().get("pending_faults")).hasSize(2);
  }

  @Test
  void aFaultListWithOneBadFaultAddsNone() {
    Control.Answer a = control.send("POST", "/emulator/v1/faults",
        "[{\"operation\":\"claim\",\"status\":503},{\"operation\":\"claim\",\"unit\":\"99\",\"status\":503}]");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().get("message").asText()).contains("fault 1").contains("'unit'");
    assertThat(control.state().get("pending_faults")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"4294967799", "503.0"})
  void aFaultStatusThatOnlyLooksLikeOneIsRefused(String status) {
    Control.Answer a = control.send("POST", "/emulator/v1/faults",
        "{\"operation\":\"claim\",\"status\":" + status + "}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(control.state().get("pending_faults")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"x\"", "1.5", "[]", "99999999999999999999999"})
  void aChaosSeedThatIsNoIntegerIsRefusedNamingTheField(String seed) {
    Control.Answer a = control.send("POST", "/emulator/v1/chaos",
        "{\"probability\":0.5,\"seed\":" + seed + "}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().get("message").asText()).contains("'seed'");
    JsonNode before = control.state().get("pending_faults");
    assertThat(before).isEmpty();
  }

  @Test
  void aControlInstanceWithATextualUnitCountIsRefused() {
    Control.Answer a = control.send("POST", "/emulator/v1/instances",
        "{\"name\":\"x\",\"crypto_units\":\"3\"}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().get("message").asText()).contains("'crypto_units'");
    assertThat(cloud.snapshot().instances()).hasSize(1);
  }

  // ---------------------------------------------------------------- RSA key size

  @Test
  void aClaimWithAnRsaKeyUnder2048BitsIsRefusedWithTheReason() throws Exception {
    String other = cloud.snapshot(guid).unit(1).id();
    String body = "{\"certificate\":\"" + rsaPem(1024).replace("\n", "\\n") + "\"}";

    Answer a = raw.send("POST", "/api/v1/cryptounits/claim", RawClient.merge(headers(),
        Map.of("Content-Type", "application/json", "Crypto-Unit-ID", other)), body);

    assertThat(a.status()).isEqualTo(400);
    assertThat(reasonCode(a)).isEqualTo("KEY_TOO_SHORT");
    assertThat(reasonMessage(a)).contains("RSA-1024").contains("2048");
    CloudSnapshot snap = cloud.snapshot();
    assertThat(snap.instance(guid).unit(1).admin()).isNull();
    assertThat(snap.instance(guid).unit(1).state()).isEqualTo(UnitState.RESERVED);
  }

  @Test
  void anAdminUserWithAnRsaKeyUnder2048BitsIsRefusedWithTheReason() throws Exception {
    String session = session();
    String path = "/api/v1/crypto_units/" + unit + "/sessions/" + session + "/users";
    String body = "{\"name\":\"second\",\"type\":\"admin\",\"public_key\":\""
        + rsaPem(1024).replace("\n", "\\n") + "\"}";

    Answer a = raw.send("POST", path, RawClient.merge(headers(), RawClient.merge(
        Map.of("Content-Type", "application/json"),
        RawClient.signature(Keys.ADMIN, "POST", path, unit, body, clock.instant()))), body);

    assertThat(a.status()).isEqualTo(400);
    assertThat(reasonCode(a)).isEqualTo("KEY_TOO_SHORT");
    assertThat(unitNow().users()).hasSize(1);
  }
}
