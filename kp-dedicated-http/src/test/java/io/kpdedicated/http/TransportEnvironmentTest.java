package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.http.CannedHttpClient.Canned;
import io.kpdedicated.http.internal.SdkInfo;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HttpTransport#builderFromEnvironment}: which variable sets what, seen in the requests the
 * transport then sends.
 */
class TransportEnvironmentTest {
  private final List<HttpRequest> sent = new ArrayList<>();

  private static Canned json(String body) {
    return new Canned(200, Map.of("Content-Type", List.of("application/json")),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** Builds from {@code env}, sends one instance read, and returns what went out. */
  private List<HttpRequest> readInstanceWith(Map<String, String> env) {
    CannedHttpClient client = new CannedHttpClient(r -> {
      sent.add(r);
      return r.uri().getPath().equals("/identity/token")
          ? json("{\"access_token\":\"t\",\"expires_in\":3600}")
          : json("{\"id\":\"i\",\"guid\":\"g\"}");
    });
    HttpTransport.builderFromEnvironment(env).httpClient(client).build().provisioning().getInstance("i");
    return sent;
  }

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("IBMCLOUD_API_KEY", "k");
    m.put("IBMCLOUD_RC_ENDPOINT", "https://rc.example.test");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void theIamApiEndpointVariableIsTheFallbackForTheIamEndpoint() {
    List<HttpRequest> rs = readInstanceWith(env("IBMCLOUD_IAM_API_ENDPOINT", "https://iam-api.example.test"));

    assertThat(rs.get(0).uri()).isEqualTo(URI.create("https://iam-api.example.test/identity/token"));
    assertThat(rs.get(1).uri()).isEqualTo(URI.create("https://rc.example.test/v2/resource_instances/i"));
  }

  @Test
  void theIamEndpointVariableWinsOverTheFallback() {
    List<HttpRequest> rs = readInstanceWith(env("IBMCLOUD_IAM_API_ENDPOINT", "https://iam-api.example.test",
        "IBMCLOUD_IAM_ENDPOINT", "https://iam.example.test"));

    assertThat(rs.get(0).uri().getHost()).isEqualTo("iam.example.test");
  }

  @Test
  void theRequestTimeoutVariableAppliesToEveryRequest() {
    List<HttpRequest> rs = readInstanceWith(env("KP_REQUEST_TIMEOUT_SECONDS", "1"));

    assertThat(rs).hasSize(2).allSatisfy(r -> assertThat(r.timeout()).contains(Duration.ofSeconds(1)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "1.5", "soon"})
  void timeoutsMustBeAPositiveNumberOfSeconds(String value) {
    for (String name : new String[] {"KP_REQUEST_TIMEOUT_SECONDS", "KP_CONNECT_TIMEOUT_SECONDS"}) {
      Map<String, String> e = env(name, value);
      assertThatThrownBy(() -> HttpTransport.builderFromEnvironment(e))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(name + " must be a positive number of seconds, got " + value);
    }
  }

  @Test
  void anEndpointVariableThatIsNoUrlIsNamed() {
    assertThatThrownBy(() -> HttpTransport.builderFromEnvironment(env("IBMCLOUD_RC_ENDPOINT", "https://a b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("IBMCLOUD_RC_ENDPOINT is not a URL: https://a b");
  }

  @Test
  void theResponseLimitIsAtLeastOneKibibyte() {
    assertThatThrownBy(() -> HttpTransport.builder().maxResponseBytes(1023))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxResponseBytes must be at least 1024, got 1023");
    assertThat(HttpTransport.builder().maxResponseBytes(1024).random(new SecureRandom())
        .tokenProvider(TokenProvider.of("t")).build()).isNotNull();
  }

  @Test
  void reportsTheSdkVersionAndReadsTheTargetVariables() {
    assertThat(HttpTransport.sdkVersion()).isEqualTo(SdkInfo.version()).isNotBlank();
    String addr = "https://abc.api.us-south.kms.appdomain.cloud";
    assertThat(HttpTransport.targetFromEnvironment(Map.of("KP_TARGET_ADDR", addr)))
        .hasValueSatisfying(t -> assertThat(t.instanceGuid()).isEqualTo("abc"));
    assertThat(HttpTransport.targetFromEnvironment(Map.of())).isEmpty();
  }
}
