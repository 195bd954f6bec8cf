package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.Remediations;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.StubServer.Answer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CryptoUnitCallsTest {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final String GUID = "9d3a1c2e-0000-4000-8000-000000000001";
  private static final String PEM = "-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA\n-----END RSA PUBLIC KEY-----\n";

  private StubServer kp;
  private CountingTokens tokens;
  private HttpTransport transport;
  private InstanceTarget target;
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    kp = new StubServer();
    tokens = new CountingTokens();
    transport = HttpTransport.builder().tokenProvider(tokens).clock(clock)
        .correlationId("corr-1").build();
    target = new InstanceTarget(kp.baseUri(), GUID);
  }

  @AfterEach
  void stop() {
    kp.close();
  }

  private CryptoUnitApi api() {
    return transport.cryptoUnits();
  }

  @Test
  void listsUnitsWithTheInstanceHeadersAndKeepsUnknownStates() {
    kp.on("GET", "/api/v1/cryptounits", Answer.json(200, "[{\"id\":\"u1\",\"instanceId\":\"" + GUID
        + "\",\"state\":\"claimed\"},{\"id\":\"u2\",\"instanceId\":\"" + GUID
        + "\",\"state\":\"brand-new-state\"}]"));

    List<CryptoUnit> units = api().listUnits(target);

    assertThat(units).extracting(CryptoUnit::id).containsExactly("u1", "u2");
    assertThat(units.get(0).state()).isEqualTo(UnitState.CLAIMED);
    assertThat(units.get(1).state()).isEqualTo(UnitState.UNKNOWN);
    assertThat(units.get(1).rawState()).isEqualTo("brand-new-state");
    StubServer.Recorded r = kp.requests().get(0);
    assertThat(r.header("Authorization")).isEqualTo("Bearer tok-1");
    assertThat(r.header("Bluemix-Instance")).isEqualTo(GUID);
    assertThat(r.header("Instance-ID")).isEqualTo(GUID);
    assertThat(r.header("X-Request-ID")).matches(UUID);
    assertThat(r.header("X-Correlation-ID")).isEqualTo("corr-1");
    assertThat(r.header("Correlation-Id")).isEqualTo("corr-1");
    assertThat(r.header("X-IBMCloud-SDK-Analytics")).matches(
        "service_name=kp-dedicated;service_version=\\d+\\.\\d+\\.\\d+[^;]*;operation_id=list-units");
    assertThat(r.header("Accept")).isEqualTo("application/json");
    assertThat(r.header("User-Agent")).matches("kp-dedicated/\\S+ Java/17\\.\\d+\\.\\d+");
  }

  @Test
  void readsAUnitListWrappedInAnObjectAndRefusesAnObjectWithoutIt() {
    kp.on("GET", "/api/v1/cryptounits", Answer.json(200, "{\"crypto_units\":[{\"id\":\"u1\","
        + "\"state\":\"initialized\"}]}"), Answer.json(200, "{\"units\":[]}"));

    assertThat(api().listUnits(target)).extracting(CryptoUnit::id).containsExactly("u1");
    assertThatThrownBy(() -> api().listUnits(target)).isInstanceOf(TransportException.class)
        .hasMessageEndingWith("the unit list is an object, expected a JSON array");
  }

  @Test
  void sendsAFreshRequestIdEveryTimeAndTheSameCorrelationIdUntilChanged() {
    kp.on("GET", "/api/v1/cryptounits", Answer.json(200, "[]"));

    api().listUnits(target);
    api().listUnits(target);
    transport.withCorrelationId("run-2").cryptoUnits().listUnits(target);

    List<StubServer.Recorded> rs = kp.requests();
    assertThat(rs.get(0).header("X-Request-ID")).isNotEqualTo(rs.get(1).header("X-Request-ID"));
    assertThat(rs).extracting(r -> r.header("X-Correlation-ID")).containsExactly("corr-1", "corr-1", "run-2");
    assertThat(rs).extracting(r -> r.header("Correlation-Id")).containsExactly("corr-1", "corr-1", "run-2");
  }

  @Test
  void everyCryptoUnitCallNamesItsActionInTheAnalyticsHeaderAndRepeatsTheCorrelationId() {
    kp.on("POST", "/api/v1/cryptounits/claim", Answer.of(200, null, new byte[0]));
    kp.on("POST", "/api/v1/crypto_units/u2/zeroize", Answer.of(204, null, new byte[0]));
    kp.on("GET", "/api/v1/cryptouser/metadata", Answer.json(200,
        "{\"user_name\":\"u\",\"public_key\":\"" + PEM.replace("\n", "\\n") + "\",\"slot_id\":1}"));
    String version = io.kpdedicated.http.internal.SdkInfo.version();

    api().claim(target, "u1", PEM);
    api().zeroize(target, "u2");
    api().cryptoUserMetadata(target);

    List<StubServer.Recorded> rs = kp.requests();
    assertThat(rs).extracting(r -> r.header("X-IBMCloud-SDK-Analytics")).containsExactly(
        "service_name=kp-dedicated;service_version=" + version + ";operation_id=claim",
        "service_name=kp-dedicated;service_version=" + version + ";operation_id=zeroize",
        "service_name=kp-dedicated;service_version=" + version + ";operation_id=crypto-user-metadata");
    assertThat(rs).extracting(r -> r.header("Correlation-Id")).containsOnly("corr-1");
    StubServer.Recorded metadata = rs.get(2);
    assertThat(metadata.header("Instance-ID")).as("the metadata call's one instance header")
        .isEqualTo(GUID);
    assertThat(metadata.header("Authorization")).isEqualTo("Bearer tok-1");
  }

  @Test
  void claimPostsThePkcs1PemAsCertificateWithTheUnitHeader() {
    kp.on("POST", "/api/v1/cryptounits/claim", Answer.of(200, null, new byte[0]));

    api().claim(target, "u1", PEM);

    StubServer.Recorded r = kp.requests().get(0);
    assertThat(r.header("Crypto-Unit-ID")).isEqualTo("u1");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.bodyText()).isEqualTo("{\"certificate\":\"" + PEM.replace("\n", "\\n") + "\"}");
  }

  @Test
  void zeroizePostsToTheUnderscorePathWithoutABody() {
    kp.on("POST", "/api/v1/crypto_units/u2/zeroize", Answer.of(204, null, new byte[0]));

    api().zeroize(target, "u2");

    StubServer.Recorded r = kp.requests().get(0);
    assertThat(r.header("Crypto-Unit-ID")).isEqualTo("u2");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void readsTheCryptoUserMetadata() {
    kp.on("GET", "/api/v1/cryptouser/metadata", Answer.json(200,
        "{\"user_name\":\"" + GUID + "-kp-user\",\"public_key\":\"" + PEM.replace("\n", "\\n")
            + "\",\"slot_id\":68}"));

    CryptoUserMetadata m = api().cryptoUserMetadata(target);

    assertThat(m.userName()).isEqualTo(GUID + "-kp-user");
    assertThat(m.publicKeyPem()).isEqualTo(PEM);
    assertThat(m.cxiGroup()).isEqualTo("SLOT_0068");
  }

  @Test
  void aConflictCarriesStatusServiceCodeMessageAndRequestId() {
    kp.on("POST", "/api/v1/cryptounits/claim", Answer.json(409,
        "{\"metadata\":{\"collectionType\":\"application/vnd.ibm.kms.error+json\",\"collectionTotal\":1},"
            + "\"resources\":[{\"errorMsg\":\"Conflict\",\"reasons\":[{\"code\":\"B1B39FC4\","
            + "\"message\":\"crypto unit is already claimed\",\"status\":409}]}]}")
        .withHeader("X-Request-ID", "srv-req-9"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () -> api().claim(target, "u1", PEM));

    assertThat(e.operation()).isEqualTo(Operation.CLAIM);
    assertThat(e.unitId()).contains("u1");
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.serviceCode()).contains("B1B39FC4");
    assertThat(e.requestId()).contains("srv-req-9");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("u1", "409", "already claimed");
  }

  @Test
  void rateLimitingIsRetryableWithTheDelayFromRetryAfterSeconds() {
    kp.on("GET", "/api/v1/cryptounits", Answer.json(429, "{\"message\":\"slow down\"}")
        .withHeader("Retry-After", "7"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () -> api().listUnits(target));

    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterAsAnHttpDateIsMeasuredOnTheInjectedClock() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        clock.instant().plusSeconds(30).atOffset(ZoneOffset.UTC));
    kp.on("GET", "/api/v1/cryptounits", Answer.json(503, "{}").withHeader("Retry-After", date));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () -> api().listUnits(target));

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  void noHealthyUpstreamIsRetryableAndNamesTheFourCauses() {
    kp.on("GET", "/api/v1/cryptounits", Answer.of(503, "text/plain",
        "no healthy upstream".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () -> api().listUnits(target));

    assertThat(e.status()).isEqualTo(503);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("no healthy upstream");
    assertThat(e.remediation()).contains(Remediations.NO_HEALTHY_UPSTREAM);
    kp.on("GET", "/api/v1/cryptouser/metadata",
        Answer.json(503, "{\"message\":\"no healthy upstream\"}"));
    HttpServiceException e2 = catchThrowableOfType(HttpServiceException.class,
        () -> api().cryptoUserMetadata(target));
    assertThat(e2.remediation()).contains(Remediations.NO_HEALTHY_UPSTREAM);
  }

  @Test
  void aUnitInMaintenanceIsRetryableEvenWithAConflictStatus() {
    kp.on("POST", "/api/v1/cryptounits/claim",
        Answer.json(409, "{\"message\":\"crypto unit u1 is in maintenance\"}"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () -> api().claim(target, "u1", PEM));

    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aRefusedTokenIsRefreshedOnceAndTheCallRetried() {
    kp.on("GET", "/api/v1/cryptounits", Answer.json(401, "{\"message\":\"token expired\"}"),
        Answer.json(200, "[]"));

    assertThat(api().listUnits(target)).isEmpty();

    assertThat(tokens.invalidated).containsExactly("tok-1");
    assertThat(kp.requests()).extracting(r -> r.header("Authorization"))
        .containsExactly("Bearer tok-1", "Bearer tok-2");
  }

  @Test
  void aTokenRefusedTwiceIsAServiceErrorAfterExactlyOneRetry() {
    kp.on("GET", "/api/v1/cryptounits", Answer.json(401, "{\"message\":\"no\"}"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () -> api().listUnits(target));

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.retryable()).isFalse();
    assertThat(kp.requests()).hasSize(2);
  }

  @Test
  void aDroppedConnectionIsARetryableTransportError() {
    kp.on("POST", "/api/v1/cryptounits/claim", Answer.dropConnection());

    TransportException e = catchThrowableOfType(TransportException.class,
        () -> api().claim(target, "u1", PEM));

    assertThat(e.operation()).isEqualTo(Operation.CLAIM);
    assertThat(e.unitId()).contains("u1");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aRefusedConnectionIsARetryableTransportError() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    InstanceTarget dead = new InstanceTarget(java.net.URI.create("http://127.0.0.1:" + port), GUID);

    TransportException e = catchThrowableOfType(TransportException.class, () -> api().listUnits(dead));

    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("list-units");
  }
}
