package io.kpdedicated.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.http.HttpTransport;
import io.kpdedicated.http.TokenProvider;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.emulator.RawClient.Answer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests shaped exactly as IBM's Go client ({@code keyprotect-go-client}, package
 * {@code dedicated}) and IBM's Go SDK core send them, sent with a plain JDK client; the answers'
 * field names and types are those the Go client decodes.
 */
class GoClientWireFidelityTest {
  private static final Set<String> UNIT_STATES = Set.of("available", "reserved", "claimed",
      "kms-authorized", "initialized", "kms-initialized", "marked-for-del", "zeroized", "maintenance");

  private InMemoryDedicatedCloud cloud;
  private LoopbackEmulator emulator;
  private RawClient raw;
  private String token;
  private ServiceInstance instance;

  @BeforeEach
  void start() {
    cloud = InMemoryDedicatedCloud.builder().importKeyPairs(Keys.IMPORT_POOL).build();
    emulator = LoopbackEmulator.builder().cloud(cloud).build().start();
    raw = new RawClient(emulator.baseUri());
    token = raw.token(emulator.apiKey());
    instance = emulator.createActiveInstance("kp-go", 3);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  /** pem.Encode of an "RSA PUBLIC KEY" block: 64-character lines, each ended by a newline. */
  private static String goPem() {
    String ours = RsaKeys.toPkcs1Pem(Keys.ADMIN.publicKey());
    String b64 = ours.replace("-----BEGIN RSA PUBLIC KEY-----", "").replace("-----END RSA PUBLIC KEY-----", "")
        .replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(b64);
    String body = Base64.getEncoder().encodeToString(der);
    StringBuilder sb = new StringBuilder("-----BEGIN RSA PUBLIC KEY-----\n");
    for (int i = 0; i < body.length(); i += 64) {
      sb.append(body, i, Math.min(body.length(), i + 64)).append('\n');
    }
    return sb.append("-----END RSA PUBLIC KEY-----\n").toString();
  }

  private List<JsonNode> listUnits() {
    Answer a = raw.send("GET", "/api/v1/cryptounits",
        RawClient.instanceHeaders(token, instance.guid(), "list-crypto-units"), null);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
    assertThat(a.json().isArray()).as("ListCryptoUnits unmarshals a JSON array").isTrue();
    List<JsonNode> units = new java.util.ArrayList<>();
    a.json().forEach(units::add);
    return units;
  }

  @Test
  void listCryptoUnitsAnswersAnArrayOfIdInstanceIdAndState() {
    List<JsonNode> units = listUnits();

    assertThat(units).hasSize(3);
    for (JsonNode u : units) {
      assertThat(fieldNames(u)).containsExactlyInAnyOrder("id", "instanceId", "state");
      assertThat(u.get("id").isTextual()).isTrue();
      assertThat(u.get("instanceId").asText()).isEqualTo(instance.guid());
      assertThat(u.get("state").isTextual()).isTrue();
      assertThat(UNIT_STATES).contains(u.get("state").asText());
    }
  }

  @Test
  void claimAcceptsTheGoClaimBodyAndASecondClaimIsAKeyProtectError() {
    String unit = listUnits().get(0).get("id").asText();
    Map<String, String> h = new LinkedHashMap<>(RawClient.instanceHeaders(token, instance.guid(), "claim-cryptounit"));
    h.put("Crypto-Unit-ID", unit);
    h.put("Content-Type", "application/json");
    String body = "{\"certificate\":\"" + goPem().replace("\n", "\\n") + "\"}";

    Answer first = raw.send("POST", "/api/v1/cryptounits/claim", h, body);
    Answer second = raw.send("POST", "/api/v1/cryptounits/claim", h, body);

    assertThat(first.status()).isBetween(200, 299);
    assertThat(cloud.snapshot(instance.guid()).unit(0).state()).isEqualTo(UnitState.CLAIMED);
    assertThat(cloud.snapshot(instance.guid()).unit(0).admin()).isEqualTo(Keys.ADMIN.publicKey());
    assertThat(second.status()).isEqualTo(409);
    JsonNode err = second.json();
    assertThat(err.get("metadata").get("collectionType").asText()).isEqualTo("application/vnd.ibm.kms.error+json");
    assertThat(err.get("metadata").get("collectionTotal").isInt()).isTrue();
    JsonNode reason = err.get("resources").get(0).get("reasons").get(0);
    assertThat(err.get("resources").get(0).get("errorMsg").isTextual()).isTrue();
    assertThat(reason.get("code").asText()).isEqualTo("CRYPTO_UNIT_ALREADY_CLAIMED");
    assertThat(reason.get("message").isTextual()).isTrue();
    assertThat(reason.get("status").asInt()).isEqualTo(409);
  }

  @Test
  void zeroizeTakesTheUnderscorePathWithoutABody() {
    String unit = cloud.arrange(instance.guid()).unit(1).claimedBy(Keys.ADMIN.publicKey()).id();
    Map<String, String> h = new LinkedHashMap<>(RawClient.instanceHeaders(token, instance.guid(), "zeroize-cryptounits"));
    h.put("Crypto-Unit-ID", unit);

    Answer a = raw.send("POST", "/api/v1/crypto_units/" + unit + "/zeroize", h, null);

    assertThat(a.status()).isBetween(200, 299);
    assertThat(cloud.snapshot(instance.guid()).unit(1).state()).isEqualTo(UnitState.RESERVED);
  }

  @Test
  void cryptoUserMetadataNeedsOnlyInstanceIdAndAnswersUserNamePublicKeyAndSlot() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Authorization", "Bearer " + token);
    h.put("X-IBMCloud-SDK-Analytics", "service_name=keyprotect-cryptounit-go-sdk;service_version=v1;"
        + "operation_id=GetCryptoUserMetadata");
    h.put("Instance-ID", instance.guid());

    Answer a = raw.send("GET", "/api/v1/cryptouser/metadata", h, null);

    assertThat(a.status()).isEqualTo(200);
    assertThat(fieldNames(a.json())).containsExactlyInAnyOrder("user_name", "public_key", "slot_id");
    assertThat(a.json().get("user_name").isTextual()).isTrue();
    assertThat(a.json().get("public_key").asText()).startsWith("-----BEGIN RSA PUBLIC KEY-----\n");
    assertThat(a.json().get("slot_id").isInt()).isTrue();
  }

  @Test
  void ourTransportSendsEveryHeaderTheGoClientSendsOnEachCryptoUnitCall() throws Exception {
    String unit = listUnits().get(2).get("id").asText();
    cloud.arrange(instance.guid()).unit(1).claimedBy(Keys.ADMIN.publicKey());
    String zeroized = cloud.snapshot(instance.guid()).unit(1).id();
    try (RecordingProxy proxy = new RecordingProxy(emulator.baseUri())) {
      HttpTransport ours = HttpTransport.builder().tokenProvider(TokenProvider.of(token))
          .correlationId("run-7").build();
      InstanceTarget target = new InstanceTarget(proxy.baseUri(), instance.guid());

      ours.cryptoUnits().listUnits(target);
      ours.cryptoUnits().claim(target, unit, RsaKeys.toPkcs1Pem(Keys.ADMIN.publicKey()));
      ours.cryptoUnits().zeroize(target, zeroized);
      ours.cryptoUnits().cryptoUserMetadata(target);

      List<RecordingProxy.Request> sent = proxy.requests();
      assertThat(sent).extracting(RecordingProxy.Request::path).containsExactly(
          "/api/v1/cryptounits", "/api/v1/cryptounits/claim",
          "/api/v1/crypto_units/" + zeroized + "/zeroize", "/api/v1/cryptouser/metadata");
      Set<String> goInstanceHeaders = RawClient.instanceHeaders(token, instance.guid(), "x").keySet();
      List<String> actions = List.of("list-units", "claim", "zeroize", "crypto-user-metadata");
      for (int i = 0; i < sent.size(); i++) {
        RecordingProxy.Request r = sent.get(i);
        Set<String> names = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(r.headers().keySet());
        assertThat(names).as(r.path()).containsAll(goInstanceHeaders);
        assertThat(r.header("X-IBMCloud-SDK-Analytics")).as(r.path()).isEqualTo(
            "service_name=kp-dedicated;service_version=" + HttpTransport.sdkVersion() + ";operation_id="
                + actions.get(i));
        assertThat(r.header("Correlation-Id")).as(r.path()).isEqualTo("run-7");
        assertThat(r.header("X-Correlation-ID")).as(r.path()).isEqualTo("run-7");
        assertThat(r.header("Instance-ID")).as(r.path()).isEqualTo(instance.guid());
        assertThat(r.header("Authorization")).as(r.path()).isEqualTo("Bearer " + token);
      }
      assertThat(cloud.snapshot(instance.guid()).unit(2).state()).isEqualTo(UnitState.CLAIMED);
      assertThat(cloud.snapshot(instance.guid()).unit(1).state()).isEqualTo(UnitState.RESERVED);
    }
  }

  @Test
  void theIamAnswerHasTheFieldsTheGoSdkCoreReads() {
    Answer a = raw.send("POST", "/identity/token", Map.of(
        "Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
        "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=" + emulator.apiKey()
            + "&response_type=cloud_iam");

    assertThat(a.status()).isEqualTo(200);
    JsonNode t = a.json();
    assertThat(t.get("access_token").isTextual()).isTrue();
    assertThat(t.get("refresh_token").isTextual()).isTrue();
    assertThat(t.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(t.get("expires_in").isIntegralNumber()).isTrue();
    assertThat(t.get("expiration").isIntegralNumber()).isTrue();
  }

  @Test
  void theResourceControllerAnswersInstanceDocumentsWithEndpointsAtTheEmulator() {
    Map<String, String> h = Map.of("Authorization", "Bearer " + token, "Accept", "application/json",
        "Content-Type", "application/json");
    Answer created = raw.send("POST", "/v2/resource_instances", h,
        "{\"name\":\"kp-new\",\"target\":\"us-south\",\"resource_group\":\"" + LoopbackEmulator.RESOURCE_GROUP_ID
            + "\",\"resource_plan_id\":\"" + LoopbackEmulator.PLAN_ID + "\",\"parameters\":{\"crypto_units\":3}}");
    String guid = created.json().get("guid").asText();
    raw.send("GET", "/v2/resource_instances/" + guid, h, null);
    Answer active = raw.send("GET", "/v2/resource_instances/" + guid, h, null);
    Answer listed = raw.send("GET", "/v2/resource_instances?name=kp-new", h, null);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("state").asText()).isEqualTo("provisioning");
    JsonNode doc = active.json();
    for (String f : List.of("id", "guid", "crn", "name", "region_id", "resource_plan_id", "state")) {
      assertThat(doc.get(f).isTextual()).as(f).isTrue();
    }
    assertThat(doc.get("state").asText()).isEqualTo("active");
    assertThat(doc.get("last_operation").get("state").asText()).isEqualTo("succeeded");
    assertThat(doc.get("parameters").get("crypto_units").asInt()).isEqualTo(3);
    assertThat(doc.get("extensions").get("endpoints").get("public").asText())
        .isEqualTo(emulator.baseUri().toString());
    assertThat(listed.json().get("rows_count").asInt()).isEqualTo(1);
    assertThat(listed.json().get("resources").get(0).get("guid").asText()).isEqualTo(guid);
  }

  @Test
  void aMissingInstanceHeaderIsABadRequest() {
    Map<String, String> h = Map.of("Authorization", "Bearer " + token);

    Answer a = raw.send("GET", "/api/v1/cryptounits", h, null);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body()).contains("Instance-ID");
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
