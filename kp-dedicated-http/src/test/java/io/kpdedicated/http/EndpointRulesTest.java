package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.spi.Remediations;
import io.kpdedicated.core.spi.TransportException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointRulesTest {
  private static final String GUID = "5d6ea6bf-3fac-4637-8e9f-b6fad5a82976";

  @Test
  void parsesPublicAndPrivateEndpoints() {
    KpEndpoint pub = KpEndpoint.parse(URI.create("https://" + GUID + ".api.us-south.kms.appdomain.cloud/"));
    KpEndpoint priv = KpEndpoint.parse(URI.create("https://" + GUID + ".api.private.us-south.kms.appdomain.cloud"));

    assertThat(pub.instanceId()).isEqualTo(GUID);
    assertThat(pub.region()).isEqualTo("us-south");
    assertThat(pub.privateEndpoint()).isFalse();
    assertThat(pub.uri()).isEqualTo(URI.create("https://" + GUID + ".api.us-south.kms.appdomain.cloud"));
    assertThat(priv.privateEndpoint()).isTrue();
    assertThat(priv.toPublic()).isEqualTo(pub);
    assertThat(priv.target().isPrivateEndpoint()).isTrue();
    assertThat(KpEndpoint.of(GUID, "us-south", true)).isEqualTo(priv);
  }

  @Test
  void rejectsEndpointsThatAreNotTheDedicatedForm() {
    for (String bad : new String[] {
        "http://" + GUID + ".api.us-south.kms.appdomain.cloud",
        "https://us-south.kms.cloud.ibm.com",
        "https://" + GUID + ".api.us-south.kms.appdomain.cloud/api/v1",
        "https://" + GUID + ".api.us-south.kms.appdomain.cloud.evil.example",
        "https://" + GUID + ".api.us-south.kms.appdomain.cloud:8443"}) {
      assertThatThrownBy(() -> KpEndpoint.parse(URI.create(bad)))
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("https://<instance-id>.api[.private].<region>.kms.appdomain.cloud");
    }
  }

  @Test
  void readsTheTargetFromTheEnvironmentMap() {
    String addr = "https://" + GUID + ".api.us-south.kms.appdomain.cloud";

    assertThat(DedicatedEnvironment.target(Map.of())).isEmpty();
    assertThat(DedicatedEnvironment.target(Map.of("KP_TARGET_ADDR", addr)))
        .contains(new InstanceTarget(URI.create(addr), GUID));
    assertThat(DedicatedEnvironment.target(Map.of("KP_TARGET_ADDR", "http://127.0.0.1:8080/",
        "KP_INSTANCE_ID", "g-1"))).contains(new InstanceTarget(URI.create("http://127.0.0.1:8080"), "g-1"));
    assertThatThrownBy(() -> DedicatedEnvironment.target(Map.of("KP_TARGET_ADDR", "http://127.0.0.1:8080")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KP_INSTANCE_ID");
    assertThatThrownBy(() -> DedicatedEnvironment.target(Map.of("KP_TARGET_ADDR", addr, "KP_INSTANCE_ID", "other")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    assertThatThrownBy(() -> DedicatedEnvironment.target(Map.of("KP_TARGET_ADDR", "http://kms.example.com",
        "KP_INSTANCE_ID", "g"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
  }

  @Test
  void buildsATransportFromTheEnvironment() {
    HttpTransport t = HttpTransport.fromEnvironment(Map.of("IBMCLOUD_API_KEY", "k",
        "IBMCLOUD_IAM_ENDPOINT", "http://127.0.0.1:1", "IBMCLOUD_RC_ENDPOINT", "http://127.0.0.1:2",
        "KP_REQUEST_TIMEOUT_SECONDS", "5"));

    assertThat(t.provisioning()).isNotNull();
    assertThatThrownBy(() -> HttpTransport.fromEnvironment(Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IBMCLOUD_API_KEY");
    assertThatThrownBy(() -> HttpTransport.fromEnvironment(Map.of("IBMCLOUD_API_KEY", "k",
        "KP_CONNECT_TIMEOUT_SECONDS", "soon"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KP_CONNECT_TIMEOUT_SECONDS");
  }

  @Test
  void theBuilderRefusesPlainHttpToAnotherHostAndConflictingSettings() {
    assertThatThrownBy(() -> HttpTransport.builder().iamEndpoint(URI.create("http://iam.example.com")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    assertThatThrownBy(() -> HttpTransport.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("apiKey");
    assertThatThrownBy(() -> HttpTransport.builder().apiKey("k".toCharArray())
        .tokenProvider(TokenProvider.of("t")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
    assertThatThrownBy(() -> HttpTransport.builder().tokenProvider(TokenProvider.of("t"))
        .httpClient(HttpClient.newHttpClient()).connectTimeout(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("connectTimeout");
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefusedBeforeAnyByteIsSent() throws Exception {
    try (ServerSocket proxy = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      HttpClient viaProxy = HttpClient.newBuilder()
          .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.getLocalPort())))
          .build();
      // The proxy never answers: a transport that sent the request anyway would fail with a
      // timeout (retryable, no "refused") rather than hang the build.
      HttpTransport t = HttpTransport.builder().tokenProvider(TokenProvider.of("secret-token"))
          .httpClient(viaProxy).requestTimeout(Duration.ofSeconds(5)).build();
      InstanceTarget plain = new InstanceTarget(URI.create("http://kms.example.com"), GUID);

      TransportException e = catchThrowableOfType(TransportException.class,
          () -> t.cryptoUnits().listUnits(plain));

      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("plain http is refused").doesNotContain("secret-token");
      // A connection, if one was opened, was established before the call returned and is already
      // queued: a 1 ms accept finds it without waiting.
      proxy.setSoTimeout(1);
      assertThatThrownBy(() -> {
        try (Socket s = proxy.accept()) {
          throw new AssertionError("a connection was opened to " + s.getRemoteSocketAddress());
        }
      }).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void aTimeoutAgainstAPrivateEndpointCarriesThePrivateEndpointHint() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      HttpClient viaSilentProxy = HttpClient.newBuilder()
          .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort())))
          .build();
      HttpTransport t = HttpTransport.builder().tokenProvider(TokenProvider.of("t"))
          .httpClient(viaSilentProxy).requestTimeout(Duration.ofMillis(300)).build();
      InstanceTarget priv = KpEndpoint.of(GUID, "us-south", true).target();

      TransportException e = catchThrowableOfType(TransportException.class,
          () -> t.cryptoUnits().listUnits(priv));

      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("timed out", "private endpoint");
      assertThat(e.remediation()).contains(Remediations.PRIVATE_ENDPOINT_TIMEOUT);
    }
  }
}
