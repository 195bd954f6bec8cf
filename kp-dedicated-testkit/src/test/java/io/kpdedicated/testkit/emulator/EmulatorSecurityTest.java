package io.kpdedicated.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.ManualClock;
import io.kpdedicated.testkit.UnitSnapshot;
import io.kpdedicated.testkit.emulator.RawClient.Answer;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bearer tokens and admin signatures are checked, and a refused command changes nothing. */
class EmulatorSecurityTest {
  private ManualClock clock;
  private InMemoryDedicatedCloud cloud;
  private LoopbackEmulator emulator;
  private RawClient raw;
  private String token;
  private String guid;
  private String unit;

  @BeforeEach
  void start() {
    clock = ManualClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    cloud = InMemoryDedicatedCloud.builder().clock(clock).sleeper(clock.sleeper())
        .importKeyPairs(Keys.IMPORT_POOL).build();
    emulator = LoopbackEmulator.builder().cloud(cloud).build().start();
    raw = new RawClient(emulator.baseUri());
    token = raw.token(emulator.apiKey());
    ServiceInstance si = emulator.createActiveInstance("kp-sec", 2);
    guid = si.guid();
    unit = cloud.arrange(guid).unit(0).claimedBy(Keys.ADMIN.publicKey()).id();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private Map<String, String> headers(String t) {
    return RawClient.instanceHeaders(t, guid, "test");
  }

  private UnitSnapshot unitNow() {
    return cloud.snapshot(guid).unit(0);
  }

  private String openSession() {
    String path = "/api/v1/crypto_units/" + unit + "/sessions";
    String body = "{\"user_name\":\"ADMIN\"}";
    Answer a = raw.send("POST", path, RawClient.merge(headers(token),
        RawClient.merge(Map.of("Content-Type", "application/json"),
            RawClient.signature(Keys.ADMIN, "POST", path, unit, body, clock.instant()))), body);
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json().get("session_id").asText();
  }

  private String cryptoUserBody() {
    var m = cloud.metadata();
    return "{\"name\":\"" + m.userName() + "\",\"type\":\"kmsCryptoUser\",\"public_key\":\""
        + m.publicKeyPem().replace("\n", "\\n") + "\",\"attributes\":{\"CXI_GROUP\":\"" + m.cxiGroup() + "\"}}";
  }

  private Answer addUser(String session, AdminSigner signer, String signedBody, String sentBody,
      Instant at) {
    String path = "/api/v1/crypto_units/" + unit + "/sessions/" + session + "/users";
    Map<String, String> h = new LinkedHashMap<>(headers(token));
    h.put("Content-Type", "application/json");
    if (signer != null) {
      h.putAll(RawClient.signature(signer, "POST", path, unit, signedBody, at));
    }
    return raw.send("POST", path, h, sentBody);
  }

  @Test
  void aCallWithoutATokenIsRefusedWith401() {
    Map<String, String> h = headers(token);
    h.remove("Authorization");

    Answer a = raw.send("GET", "/api/v1/cryptounits", h, null);

    assertThat(a.status()).isEqualTo(401);
    assertThat(a.json().get("resources").get(0).get("reasons").get(0).get("code").asText())
        .isEqualTo("BXNIM0308E");
  }

  @Test
  void aWrongOrRevokedTokenIsRefusedWith401() {
    assertThat(raw.send("GET", "/api/v1/cryptounits", headers("forged." + token), null).status()).isEqualTo(401);
    assertThat(raw.send("GET", "/v2/resource_instances/" + guid, headers("nope"), null).status()).isEqualTo(401);

    emulator.revokeTokens();

    assertThat(raw.send("GET", "/api/v1/cryptounits", headers(token), null).status()).isEqualTo(401);
  }

  @Test
  void anExpiredTokenIsRefusedWith401() {
    clock.advance(Duration.ofHours(1));

    assertThat(raw.send("GET", "/api/v1/cryptounits", headers(token), null).status()).isEqualTo(401);
  }

  @Test
  void tokensAreIssuedOnlyForTheEmulatorsApiKey() {
    Answer a = raw.send("POST", "/identity/token", Map.of("Content-Type", "application/x-www-form-urlencoded"),
        "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=someone-elses-key");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().get("errorCode").asText()).isEqualTo("BXNIM0415E");
    assertThat(a.body()).doesNotContain("someone-elses-key");
  }

  @Test
  void anUnsignedCommandIsRefusedAndChangesNothing() {
    String session = openSession();

    Answer a = addUser(session, null, null, cryptoUserBody(), clock.instant());

    assertThat(a.status()).isEqualTo(401);
    assertThat(a.body()).contains("SIGNATURE_MISSING");
    assertThat(unitNow().state()).isEqualTo(UnitState.CLAIMED);
    assertThat(unitNow().hasCryptoUser()).isFalse();
  }

  @Test
  void aCommandSignedByAnotherKeyIsRefusedWith403AndChangesNothing() {
    String session = openSession();

    Answer a = addUser(session, Keys.INTRUDER, cryptoUserBody(), cryptoUserBody(), clock.instant());

    assertThat(a.status()).isEqualTo(403);
    assertThat(unitNow().hasCryptoUser()).isFalse();
    assertThat(unitNow().state()).isEqualTo(UnitState.CLAIMED);
  }

  @Test
  void aCommandWhoseBodyWasChangedAfterSigningIsRefused() {
    String session = openSession();
    String signed = cryptoUserBody();
    String tampered = signed.replace("kmsCryptoUser\"", "admin\"");

    Answer a = addUser(session, Keys.ADMIN, signed, tampered, clock.instant());

    assertThat(a.status()).isEqualTo(401);
    assertThat(unitNow().users()).hasSize(1);
  }

  @Test
  void aStaleCommandIsRefusedAndChangesNothing() {
    String session = openSession();

    Answer a = addUser(session, Keys.ADMIN, cryptoUserBody(), cryptoUserBody(),
        clock.instant().minus(Duration.ofMinutes(6)));

    assertThat(a.status()).isEqualTo(401);
    assertThat(a.body()).contains("SIGNATURE_EXPIRED");
    assertThat(unitNow().hasCryptoUser()).isFalse();
  }

  @Test
  void aReplayedCommandIsRefusedAndChangesNothingMore() throws Exception {
    String session = openSession();
    MasterKey key = MasterKey.generate("KPD", Keys.RANDOM);
    RSAPublicKey importKey = cloudImportKey(session);
    String path = "/api/v1/crypto_units/" + unit + "/sessions/" + session + "/master_keys/import";
    String body = "{\"name\":\"KPD\",\"wrapped_key\":\"" + Base64.getEncoder().encodeToString(
        RsaKeys.wrapOaep(importKey, key.copyKeyBytes())) + "\",\"wrapping_algorithm\":\"RSA-OAEP-256\"}";
    Map<String, String> h = RawClient.merge(headers(token), RawClient.merge(
        Map.of("Content-Type", "application/json"),
        RawClient.signature(Keys.ADMIN, "POST", path, unit, body, clock.instant())));

    Answer first = raw.send("POST", path, h, body);
    int importsAfterFirst = cloud.stats().changes(io.kpdedicated.core.spi.Operation.IMPORT_MASTER_KEY);
    Answer replay = raw.send("POST", path, h, body);

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.json().get("key_check_value").asText()).isEqualTo(key.checkValue().hex());
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.body()).contains("NONCE_REPLAYED");
    assertThat(cloud.stats().changes(io.kpdedicated.core.spi.Operation.IMPORT_MASTER_KEY))
        .isEqualTo(importsAfterFirst);
    assertThat(unitNow().state()).isEqualTo(UnitState.INITIALIZED);
  }

  @Test
  void aSignatureForAnotherPathDoesNotAuthorizeThisOne() {
    String session = openSession();
    String path = "/api/v1/crypto_units/" + unit + "/sessions/" + session + "/users";
    Map<String, String> h = RawClient.merge(headers(token), RawClient.merge(
        Map.of("Content-Type", "application/json"),
        RawClient.signature(Keys.ADMIN, "POST", path.replace("/users", "/master_keys/import"), unit,
            cryptoUserBody(), clock.instant())));

    Answer a = raw.send("POST", path, h, cryptoUserBody());

    assertThat(a.status()).isEqualTo(403);
    assertThat(unitNow().hasCryptoUser()).isFalse();
  }

  @Test
  void aSessionOfOneUnitCannotBeUsedForAnother() {
    String session = openSession();
    String other = cloud.arrange(guid).unit(1).claimedBy(Keys.ADMIN.publicKey()).id();
    String path = "/api/v1/crypto_units/" + other + "/sessions/" + session + "/users";

    Answer a = raw.send("GET", path, RawClient.merge(headers(token),
        RawClient.signature(Keys.ADMIN, "GET", path, other, null, clock.instant())), null);

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.body()).contains("SESSION_NOT_FOUND");
  }

  private RSAPublicKey cloudImportKey(String session) {
    String path = "/api/v1/crypto_units/" + unit + "/sessions";
    String body = "{\"user_name\":\"ADMIN\"}";
    Answer a = raw.send("POST", path, RawClient.merge(headers(token),
        RawClient.merge(Map.of("Content-Type", "application/json"),
            RawClient.signature(Keys.ADMIN, "POST", path, unit, body, clock.instant()))), body);
    return RsaKeys.fromPem(a.json().get("import_public_key").asText());
  }
}
