package io.kpdedicated.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class ClientsTest {
  private static final URI HTTP = URI.create("http://127.0.0.1:8080/api/v2/hsm");
  private static final URI HTTPS = URI.create("https://iam.cloud.ibm.com/identity/token");

  @Test
  void aGivenClientServesEveryScheme() {
    HttpClient given = HttpClient.newHttpClient();
    Clients clients = Clients.of(given);
    assertThat(clients.forUri(HTTP)).isSameAs(given);
    assertThat(clients.forUri(HTTPS)).isSameAs(given);
  }

  @Test
  void onDemandMakesOneClientPerSchemeAndKeepsIt() throws Exception {
    Clients clients = Clients.onDemand(Duration.ofSeconds(3));
    HttpClient plain = clients.forUri(HTTP);
    HttpClient tls = clients.forUri(HTTPS);

    assertThat(plain).isNotSameAs(tls);
    assertThat(clients.forUri(URI.create("HTTP://localhost:1/x"))).isSameAs(plain);
    assertThat(clients.forUri(HTTPS)).isSameAs(tls);
    for (HttpClient c : new HttpClient[] {plain, tls}) {
      assertThat(c.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
      assertThat(c.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(c.connectTimeout()).contains(Duration.ofSeconds(3));
    }
    assertThat(tls.sslContext()).isSameAs(SSLContext.getDefault());
    assertThat(plain.sslContext()).isNotSameAs(SSLContext.getDefault());
  }

  @Test
  void nullsAreRefused() {
    assertThatThrownBy(() -> Clients.of(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Clients.onDemand(null)).isInstanceOf(NullPointerException.class);
  }
}
