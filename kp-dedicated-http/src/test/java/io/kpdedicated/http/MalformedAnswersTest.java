package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.http.StubServer.Answer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every client call, against every kind of broken answer, fails typed and works again afterwards. */
class MalformedAnswersTest {
  private static final int CAP = 8 * 1024;
  private static final String GUID = "guid-1";
  private static final String CRN = "crn:v1:bluemix:public:kms:us-south:a/acc:" + GUID + "::";
  private static final String SESSIONS = "/api/v1/crypto_units/u1/sessions";
  private static final String SESSION = SESSIONS + "/s-1";
  private static StubServer server;
  private static HttpTransport transport;
  private static InstanceTarget target;
  private static AdminIdentity admin;
  private static MasterKey key;
  private static String openAnswer;

  /** One client call: where it goes, a good answer, a wrongly typed answer, and how to make it. */
  record CallCase(String name, String method, String path, String good, String wrongTypes,
      Consumer<HttpTransport> call) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = new StubServer();
    SecureRandom random = new SecureRandom();
    admin = AdminIdentity.generate("admin", 2048, random);
    key = MasterKey.generate("KPD", random);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, random);
    openAnswer = "{\"session_id\":\"s-1\",\"crypto_unit_id\":\"u1\",\"import_public_key\":\""
        + RsaKeys.toPkcs1Pem((RSAPublicKey) g.generateKeyPair().getPublic()).replace("\n", "\\n") + "\"}";
    transport = HttpTransport.builder().apiKey("key".toCharArray()).iamEndpoint(server.baseUri())
        .resourceControllerEndpoint(server.baseUri()).resourcePlanId("plan").maxResponseBytes(CAP).build();
    target = new InstanceTarget(server.baseUri(), GUID);
  }

  @AfterAll
  static void stop() {
    server.close();
    key.close();
  }

  private static final String TOKEN = "{\"access_token\":\"t\",\"expires_in\":3600}";

  static String doc() {
    return ProvisioningCallsTest.doc("kp", CRN, GUID, "active", "plan");
  }

  static List<CallCase> calls() {
    String metadata = "{\"user_name\":\"u\",\"public_key\":\"PEM\",\"slot_id\":1}";
    return List.of(
        new CallCase("find-instance", "GET", "/v2/resource_instances", "{\"resources\":[" + doc() + "]}",
            "{\"resources\":{\"id\":1}}", t -> t.provisioning().findInstanceByName("kp")),
        new CallCase("create-instance", "POST", "/v2/resource_instances", doc(),
            "{\"id\":\"" + CRN + "\",\"guid\":7}", t -> t.provisioning().createInstance(InstanceRequest.named("kp"))),
        new CallCase("get-instance", "GET", "/v2/resource_instances/x", doc(),
            "{\"id\":\"" + CRN + "\",\"guid\":\"g\",\"extensions\":{\"endpoints\":[]}}",
            t -> t.provisioning().getInstance("x")),
        new CallCase("list-units", "GET", "/api/v1/cryptounits", "[{\"id\":\"u1\",\"state\":\"reserved\"}]",
            "[{\"id\":5,\"state\":\"reserved\"}]", t -> t.cryptoUnits().listUnits(target)),
        new CallCase("crypto-user-metadata", "GET", "/api/v1/cryptouser/metadata", metadata,
            "{\"user_name\":\"u\",\"public_key\":\"PEM\",\"slot_id\":\"one\"}",
            t -> t.cryptoUnits().cryptoUserMetadata(target)),
        new CallCase("open-session", "POST", SESSIONS, openAnswer,
            "{\"session_id\":[],\"import_public_key\":\"x\"}",
            t -> t.hsm().openSession(target, "u1", PortableHsmBackend.credentialOf(admin)).close()),
        new CallCase("list-users", "GET", SESSION + "/users",
            "{\"users\":[{\"name\":\"ADMIN\",\"type\":\"admin\",\"attributes\":{}}]}",
            "{\"users\":[{\"name\":\"ADMIN\",\"attributes\":{\"A\":1}}]}",
            t -> inSession(t, HsmSession::listUsers)),
        new CallCase("list-master-keys", "GET", SESSION + "/master_keys",
            "{\"master_keys\":[{\"name\":\"KPD\",\"key_check_value\":\"0A0B0C0D0E\"}]}",
            "{\"master_keys\":[{\"name\":\"KPD\",\"key_check_value\":\"not-hex\"}]}",
            t -> inSession(t, HsmSession::listMasterKeys)),
        new CallCase("import-master-key", "POST", SESSION + "/master_keys/import",
            "{\"name\":\"KPD\",\"key_check_value\":\"0A0B0C0D0E\"}", "{\"name\":true}",
            t -> inSession(t, s -> s.importMasterKey(PortableHsmBackend.preparedKeyOf(key)))));
  }

  private static void inSession(HttpTransport t, Consumer<HsmSession> work) {
    try (HsmSession s = t.hsm().openSession(target, "u1", PortableHsmBackend.credentialOf(admin))) {
      work.accept(s);
    }
  }

  static Stream<Arguments> casesAndBadAnswers() {
    List<Arguments> out = new ArrayList<>();
    byte[] huge = new byte[CAP * 4];
    Arrays.fill(huge, (byte) ' ');
    huge[0] = '[';
    huge[huge.length - 1] = ']';
    for (CallCase c : calls()) {
      out.add(Arguments.of(c, "truncated JSON", Answer.json(200, c.good().substring(0, c.good().length() / 2))));
      out.add(Arguments.of(c, "wrong types", Answer.json(200, c.wrongTypes())));
      out.add(Arguments.of(c, "JSON null", Answer.json(200, "null")));
      out.add(Arguments.of(c, "a JSON string", Answer.json(200, "\"ok\"")));
      out.add(Arguments.of(c, "an HTML page", Answer.of(200, "text/html",
          "<!DOCTYPE html><html><body>Gateway</body></html>".getBytes(StandardCharsets.UTF_8))));
      out.add(Arguments.of(c, "an empty body", Answer.of(200, "application/json", new byte[0])));
      out.add(Arguments.of(c, "a huge body", Answer.of(200, "application/json", huge)));
    }
    return out.stream();
  }

  private static void healthy() {
    server.on("POST", "/identity/token", Answer.json(200, TOKEN));
    server.on("POST", SESSIONS, Answer.json(201, openAnswer));
    server.on("DELETE", SESSION, Answer.of(204, null, new byte[0]));
    for (CallCase c : calls()) {
      server.on(c.method(), c.path(), Answer.json(200, c.good()));
    }
  }

  @ParameterizedTest(name = "{0} answered with {1}")
  @MethodSource("casesAndBadAnswers")
  void aBrokenAnswerIsATypedRetryableErrorAndTheCallWorksAgainAfterwards(CallCase c, String what,
      Answer bad) {
    healthy();
    server.on(c.method(), c.path(), bad);

    Throwable t = catchThrowable(() -> c.call().accept(transport));

    assertThat(t).as(what).isInstanceOf(TransportException.class);
    TransportException e = (TransportException) t;
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains(c.name());

    server.on(c.method(), c.path(), Answer.json(200, c.good()));
    c.call().accept(transport);
  }

  @Test
  void aBrokenTokenAnswerIsTypedAndTheNextCallFetchesAgain() {
    healthy();
    server.on("POST", "/identity/token", Answer.of(200, "text/html", "<html>login</html>".getBytes(StandardCharsets.UTF_8)));
    HttpTransport fresh = HttpTransport.builder().apiKey("key".toCharArray()).iamEndpoint(server.baseUri()).build();

    Throwable t = catchThrowable(() -> fresh.cryptoUnits().listUnits(target));

    assertThat(t).isInstanceOf(TransportException.class).hasMessageContaining("token");
    server.on("POST", "/identity/token", Answer.json(200, TOKEN));
    assertThat(fresh.cryptoUnits().listUnits(target)).hasSize(1);
  }

  @ParameterizedTest(name = "{0} failing with an HTML error page")
  @MethodSource("calls")
  void anErrorStatusWithAnHtmlPageIsAServiceErrorSayingSo(CallCase c) {
    healthy();
    server.on(c.method(), c.path(), Answer.of(502, "text/html",
        "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8)));

    Throwable t = catchThrowable(() -> c.call().accept(transport));

    assertThat(t).isInstanceOf(ServiceException.class).hasMessageContaining("HTML");
    assertThat(((KpDedicatedException) t).retryable()).isTrue();
  }
}
