package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.CannedHttpClient.Canned;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The instance list's {@code next_url} is followed only on the Resource Controller itself. */
class NextUrlTest {
  private final List<URI> sent = new CopyOnWriteArrayList<>();

  private HttpTransport transport(String nextUrl) {
    byte[] body = ("{\"resources\":[],\"next_url\":\"" + nextUrl + "\"}").getBytes(StandardCharsets.UTF_8);
    Canned page = new Canned(200, Map.of("Content-Type", List.of("application/json")), body);
    URI rc = URI.create("https://resource-controller.example");
    return HttpTransport.builder().tokenProvider(TokenProvider.of("secret-token"))
        .httpClient(new CannedHttpClient(r -> {
          sent.add(r.uri());
          return page;
        }))
        .resourceControllerEndpoint(rc).resourceManagerEndpoint(rc).globalCatalogEndpoint(rc)
        .iamEndpoint(rc).resourcePlanId("plan").build();
  }

  @Test
  void aNextUrlOnAnotherHostIsRefusedAndNeverCalled() {
    HttpTransport t = transport("https://elsewhere.example/v2/resource_instances?start=2");

    assertThatThrownBy(() -> t.provisioning().findInstanceByName("kp"))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("next_url").hasMessageContaining("points away");
    assertThat(sent).extracting(URI::getHost).containsOnly("resource-controller.example");
  }

  @Test
  void aNextUrlThatIsNoUrlIsAMalformedAnswer() {
    HttpTransport t = transport("/v2/resource_instances?start=a b");

    assertThatThrownBy(() -> t.provisioning().findInstanceByName("kp"))
        .isInstanceOf(TransportException.class).hasMessageContaining("next_url");
  }

  @Test
  void aNextUrlOnTheResourceControllerIsFollowed() {
    HttpTransport t = transport("https://resource-controller.example/v2/resource_instances?start=2");

    assertThat(t.provisioning().findInstanceByName("kp")).isEmpty();
    assertThat(sent).hasSizeGreaterThan(1)
        .allSatisfy(u -> assertThat(u.getHost()).isEqualTo("resource-controller.example"));
  }
}
