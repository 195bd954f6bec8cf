package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.http.CannedHttpClient.Canned;
import io.kpdedicated.http.internal.ErrorBodies;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fuzzes every JSON answer the REST transport parses, through the real transport over an in-memory
 * HTTP client. Invariant: a call either returns or throws one of the SDK's typed exceptions
 * ({@link KpDedicatedException}); nothing else escapes. An input is: one byte choosing the status,
 * one choosing the {@code Content-Type}, one choosing a {@code Retry-After}, then the body.
 *
 * <p>{@code mvn verify} replays the inputs under {@code src/test/resources/.../AnswerFuzzTestInputs};
 * to fuzz one target for longer, see the module README.
 */
class AnswerFuzzTest {
  private static final URI LOOPBACK = URI.create("http://127.0.0.1:9");
  private static final String GUID = "11111111-2222-3333-4444-555555555555";
  private static final int[] STATUSES = {200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 503};
  private static final String[] TYPES = {"application/json", null, "text/html", "text/plain",
      "application/json; charset=utf-8"};
  private static final String[] RETRY_AFTER = {null, "5", "-1", "99999999999999999999",
      "Wed, 21 Oct 2015 07:28:00 GMT", "soon", "1.5"};
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static AdminIdentity admin;
  private static String importKeyPem;

  private static synchronized AdminIdentity admin() throws Exception {
    if (admin == null) {
      admin = AdminIdentity.generate("admin", 2048, RANDOM);
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, RANDOM);
      importKeyPem = RsaKeys.toPkcs1Pem((RSAPublicKey) g.generateKeyPair().getPublic());
    }
    return admin;
  }

  /** Decodes an input into an answer. */
  private static Canned canned(byte[] data) {
    int status = STATUSES[data.length > 0 ? Math.floorMod(data[0], STATUSES.length) : 0];
    String type = TYPES[data.length > 1 ? Math.floorMod(data[1], TYPES.length) : 0];
    String retry = RETRY_AFTER[data.length > 2 ? Math.floorMod(data[2], RETRY_AFTER.length) : 0];
    Map<String, List<String>> h = new LinkedHashMap<>();
    if (type != null) {
      h.put("Content-Type", List.of(type));
    }
    if (retry != null) {
      h.put("Retry-After", List.of(retry));
    }
    byte[] body = data.length > 3 ? Arrays.copyOfRange(data, 3, data.length) : new byte[0];
    return new Canned(status, h, body);
  }

  private static HttpTransport transport(Function<HttpRequest, Canned> answers) {
    return HttpTransport.builder()
        .tokenProvider(TokenProvider.of("fuzz-token"))
        .httpClient(new CannedHttpClient(answers))
        .resourceControllerEndpoint(LOOPBACK)
        .resourceManagerEndpoint(LOOPBACK)
        .globalCatalogEndpoint(LOOPBACK)
        .iamEndpoint(LOOPBACK)
        .resourcePlanId("plan")
        .clock(CLOCK)
        .random(RANDOM)
        .build();
  }

  /** Runs a call; a typed SDK exception is an expected outcome, anything else is a finding. */
  private static void typedOutcome(ThrowingRunnable call) throws Exception {
    try {
      call.run();
    } catch (KpDedicatedException expected) {
      assertThat(expected.getMessage()).isNotBlank().doesNotContain("fuzz-token");
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @FuzzTest(maxDuration = "2m")
  void iamTokenAnswer(byte[] data) throws Exception {
    Canned c = canned(data);
    IamTokenProvider iam = IamTokenProvider.builder().endpoint(LOOPBACK)
        .apiKey("fuzz-api-key".toCharArray()).clock(CLOCK)
        .httpClient(new CannedHttpClient(r -> c)).build();
    typedOutcome(() -> assertThat(iam.token()).isNotBlank());
  }

  @FuzzTest(maxDuration = "2m")
  void resourceInstanceListAnswer(byte[] data) throws Exception {
    Canned c = canned(data);
    typedOutcome(() -> transport(r -> c).provisioning().findInstanceByName("kp"));
  }

  @FuzzTest(maxDuration = "2m")
  void resourceInstanceAnswer(byte[] data) throws Exception {
    Canned c = canned(data);
    HttpTransport t = transport(r -> c);
    boolean create = data.length > 0 && (data[0] & 0x40) != 0;
    typedOutcome(() -> {
      if (create) {
        t.provisioning().createInstance(new InstanceRequest("kp", "us-south", "group", 3));
      } else {
        t.provisioning().getInstance("kp-id");
      }
    });
  }

  @FuzzTest(maxDuration = "2m")
  void cryptoUnitsAnswer(byte[] data) throws Exception {
    Canned c = canned(data);
    typedOutcome(() -> transport(r -> c).cryptoUnits().listUnits(new InstanceTarget(LOOPBACK, GUID)));
  }

  @FuzzTest(maxDuration = "2m")
  void cryptoUserMetadataAnswer(byte[] data) throws Exception {
    Canned c = canned(data);
    typedOutcome(() -> transport(r -> c).cryptoUnits()
        .cryptoUserMetadata(new InstanceTarget(LOOPBACK, GUID)));
  }

  @FuzzTest(maxDuration = "2m")
  void openSessionAnswer(byte[] data) throws Exception {
    AdminIdentity a = admin();
    Canned c = canned(data);
    typedOutcome(() -> {
      try (HsmSession s = transport(r -> c).hsm()
          .openSession(new InstanceTarget(LOOPBACK, GUID), "unit-0", PortableHsmBackend.credentialOf(a))) {
        assertThat(s.unitId()).isEqualTo("unit-0");
      }
    });
  }

  /** The first byte's low two bits pick list-users, list-master-keys, import or add-user. */
  @FuzzTest(maxDuration = "2m")
  void sessionCommandAnswer(byte[] data) throws Exception {
    AdminIdentity a = admin();
    Canned c = canned(data);
    byte[] open = ("{\"session_id\":\"s-1\",\"crypto_unit_id\":\"unit-0\",\"import_public_key\":\""
        + importKeyPem.replace("\n", "\\n") + "\",\"import_key_algorithm\":\"RSA-OAEP-256\"}")
        .getBytes(StandardCharsets.UTF_8);
    Canned opened = new Canned(201, Map.of("Content-Type", List.of("application/json")), open);
    HttpTransport t = transport(r -> r.uri().getPath().endsWith("/sessions") ? opened : c);
    HsmSession s = t.hsm().openSession(new InstanceTarget(LOOPBACK, GUID), "unit-0",
        PortableHsmBackend.credentialOf(a));
    int op = data.length > 0 ? data[0] & 3 : 0;
    typedOutcome(() -> {
      switch (op) {
        case 0:
          s.listUsers();
          break;
        case 1:
          s.listMasterKeys();
          break;
        case 2:
          try (MasterKey key = MasterKey.generate("KPD", RANDOM)) {
            s.importMasterKey(PortableHsmBackend.preparedKeyOf(key));
          }
          break;
        default:
          s.addUser(io.kpdedicated.core.model.NewUser.admin("second", RsaKeys.toPkcs1Pem(a.publicKey())));
          break;
      }
    });
    s.close();
  }

  @FuzzTest(maxDuration = "2m")
  void errorBody(byte[] data) {
    Canned c = canned(data);
    String type = c.headers().containsKey("Content-Type") ? c.headers().get("Content-Type").get(0) : null;
    ErrorBodies.ServiceError e = ErrorBodies.parse(c.body(), type);
    assertThat(e).isNotNull();
  }
}
