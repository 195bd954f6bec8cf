package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.http.StubServer.Answer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionCallsTest {
  private static final String GUID = "guid-1";
  private static final String SESSIONS = "/api/v1/crypto_units/u1/sessions";
  private static final String SESSION = SESSIONS + "/s-1";
  private static AdminIdentity admin;
  private static KeyPair importKey;

  private StubServer kp;
  private HttpTransport transport;
  private InstanceTarget target;
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

  @BeforeAll
  static void keys() throws Exception {
    SecureRandom random = new SecureRandom();
    admin = AdminIdentity.generate("admin", 2048, random);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, random);
    importKey = g.generateKeyPair();
  }

  @BeforeEach
  void start() throws Exception {
    kp = new StubServer();
    transport = HttpTransport.builder().tokenProvider(TokenProvider.of("tok")).clock(clock).build();
    target = new InstanceTarget(kp.baseUri(), GUID);
    kp.on("POST", SESSIONS, Answer.json(201, "{\"session_id\":\"s-1\",\"crypto_unit_id\":\"u1\","
        + "\"import_public_key\":\"" + RsaKeys.toPkcs1Pem((RSAPublicKey) importKey.getPublic())
            .replace("\n", "\\n") + "\",\"import_key_algorithm\":\"RSA-OAEP-256\"}"));
    kp.on("DELETE", SESSION, Answer.of(204, null, new byte[0]));
  }

  @AfterEach
  void stop() {
    kp.close();
  }

  private HsmSession open() {
    return transport.hsm().openSession(target, "u1", PortableHsmBackend.credentialOf(admin));
  }

  /** Rebuilds the signed command from what arrived and checks it with the admin's key. */
  private static SignedCommand verified(StubServer.Recorded r) {
    assertThat(r.header("X-KPD-Signature-Version")).isEqualTo("KPD-SIG-1");
    assertThat(r.header("Crypto-Unit-ID")).isEqualTo("u1");
    SignedCommand c = new SignedCommand(r.method(), r.path(), r.header("Crypto-Unit-ID"),
        Long.parseLong(r.header("X-KPD-Timestamp")), r.header("X-KPD-Nonce"),
        r.header("X-KPD-Content-SHA256"), Base64.getDecoder().decode(r.header("X-KPD-Signature")));
    assertThat(c.verify(admin.publicKey(), r.body())).as("signature of %s %s", r.method(), r.path()).isTrue();
    return c;
  }

  @Test
  void opensASignedSessionAndClosesItOnce() {
    HsmSession s = open();
    s.close();
    s.close();

    StubServer.Recorded openReq = kp.requests("POST", SESSIONS).get(0);
    SignedCommand c = verified(openReq);
    assertThat(c.timestampMillis()).isEqualTo(clock.instant().toEpochMilli());
    assertThat(openReq.bodyText()).isEqualTo("{\"user_name\":\"ADMIN\"}");
    assertThat(openReq.header("Authorization")).isEqualTo("Bearer tok");
    assertThat(openReq.header("Bluemix-Instance")).isEqualTo(GUID);
    assertThat(kp.requests("DELETE", SESSION)).hasSize(1).allSatisfy(SessionCallsTest::verified);
    assertThatThrownBy(s::listUsers).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void listsUsersWithTheirTypesAndAttributes() {
    kp.on("GET", SESSION + "/users", Answer.json(200, "{\"users\":[{\"name\":\"ADMIN\",\"type\":\"admin\","
        + "\"attributes\":{}},{\"name\":\"kp-user\",\"type\":\"kmsCryptoUser\",\"attributes\":"
        + "{\"CXI_GROUP\":\"SLOT_0068\"}}]}"));

    List<CryptoUser> users;
    try (HsmSession s = open()) {
      users = s.listUsers();
    }

    assertThat(users).extracting(CryptoUser::name, CryptoUser::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ADMIN", UserType.ADMIN),
            org.assertj.core.groups.Tuple.tuple("kp-user", UserType.KMS_CRYPTO_USER));
    assertThat(users.get(1).attributes()).containsEntry("CXI_GROUP", "SLOT_0068");
    StubServer.Recorded get = kp.requests("GET", SESSION + "/users").get(0);
    assertThat(verified(get).bodySha256Hex()).isEqualTo(SignedCommand.sha256Hex(new byte[0]));
  }

  @Test
  void addsAUserWithASignedJsonBody() throws Exception {
    kp.on("POST", SESSION + "/users", Answer.json(201, "{\"name\":\"kp-user\"}"));
    NewUser user = new NewUser(UserType.KMS_CRYPTO_USER, "kp-user", "PEM", Map.of("CXI_GROUP", "SLOT_0001"));

    try (HsmSession s = open()) {
      s.addUser(user);
    }

    StubServer.Recorded r = kp.requests("POST", SESSION + "/users").get(0);
    verified(r);
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.get("name").asText()).isEqualTo("kp-user");
    assertThat(body.get("type").asText()).isEqualTo("kmsCryptoUser");
    assertThat(body.get("public_key").asText()).isEqualTo("PEM");
    assertThat(body.get("attributes").get("CXI_GROUP").asText()).isEqualTo("SLOT_0001");
  }

  @Test
  void importsTheMasterKeyWrappedToTheUnitsImportKeyOnly() throws Exception {
    MasterKey key = MasterKey.generate("KPD", new SecureRandom());
    kp.on("POST", SESSION + "/master_keys/import", Answer.json(201,
        "{\"name\":\"KPD\",\"key_check_value\":\"" + key.checkValue().hex() + "\"}"));

    MasterKeyInfo info;
    try (HsmSession s = open()) {
      info = s.importMasterKey(PortableHsmBackend.preparedKeyOf(key));
    }

    assertThat(info.checkValue()).isEqualTo(PortableHsmBackend.checkValueOf(key.checkValue()));
    StubServer.Recorded r = kp.requests("POST", SESSION + "/master_keys/import").get(0);
    verified(r);
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.get("wrapping_algorithm").asText()).isEqualTo("RSA-OAEP-256");
    byte[] unwrapped = RsaKeys.unwrapOaep(importKey.getPrivate(),
        Base64.getDecoder().decode(body.get("wrapped_key").asText()));
    assertThat(unwrapped).isEqualTo(key.copyKeyBytes());
    assertThat(r.bodyText()).doesNotContain(Base64.getEncoder().encodeToString(key.copyKeyBytes()));
    assertThat(key.isDestroyed()).isFalse();
  }

  @Test
  void listsMasterKeysWithCheckValues() {
    kp.on("GET", SESSION + "/master_keys", Answer.json(200,
        "{\"master_keys\":[{\"name\":\"KPD\",\"key_check_value\":\"0a1b2c3d4e\"}]}"));

    try (HsmSession s = open()) {
      assertThat(s.listMasterKeys()).singleElement()
          .satisfies(k -> assertThat(k.checkValue().text()).isEqualTo("0A1B2C3D4E"));
    }
  }

  @Test
  void everyRetryAfterA401IsSignedWithAFreshNonce() {
    CountingTokens tokens = new CountingTokens();
    transport = HttpTransport.builder().tokenProvider(tokens).clock(clock).build();
    kp.on("GET", SESSION + "/master_keys", Answer.json(401, "{}"), Answer.json(200, "{\"master_keys\":[]}"));

    try (HsmSession s = open()) {
      assertThat(s.listMasterKeys()).isEmpty();
    }

    List<StubServer.Recorded> rs = kp.requests("GET", SESSION + "/master_keys");
    assertThat(rs).hasSize(2);
    assertThat(verified(rs.get(0)).nonce()).isNotEqualTo(verified(rs.get(1)).nonce());
  }

  @Test
  void aRefusedSignatureIsAServiceErrorNamingTheUnit() {
    kp.on("POST", SESSIONS, Answer.json(403, "{\"error_code\":\"SIGNATURE_INVALID\","
        + "\"message\":\"the signature does not match the unit's administrator\"}"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, this::open);

    assertThat(e.operation()).isEqualTo(Operation.OPEN_SESSION);
    assertThat(e.unitId()).contains("u1");
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.serviceCode()).contains("SIGNATURE_INVALID");
  }

  @Test
  void aUserWithoutAttributesHasNone() {
    kp.on("GET", SESSION + "/users", Answer.json(200, "{\"users\":[{\"name\":\"ADMIN\",\"type\":\"admin\"}]}"));

    try (HsmSession s = open()) {
      assertThat(s.listUsers()).singleElement().satisfies(u -> {
        assertThat(u.name()).isEqualTo("ADMIN");
        assertThat(u.attributes()).isEmpty();
      });
    }
  }

  @Test
  void aFailedCloseStillEndsTheSessionOnThisSideAndIsNotRepeated() {
    kp.on("DELETE", SESSION, Answer.json(500, "{\"message\":\"busy\"}"));
    HsmSession s = open();

    s.close();
    s.close();

    assertThat(kp.requests("DELETE", SESSION)).hasSize(1);
    assertThatThrownBy(s::listUsers).isInstanceOf(IllegalStateException.class)
        .hasMessage("the session on crypto unit u1 is closed");
  }
}
