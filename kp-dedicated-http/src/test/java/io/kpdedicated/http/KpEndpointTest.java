package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link KpEndpoint}: each way an endpoint can be wrong, named on its own. */
class KpEndpointTest {
  private static final String HOST = "5d6ea6bf-3fac-4637-8e9f-b6fad5a82976.api.eu-de.kms.appdomain.cloud";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://" + HOST + "|must use https",
      "https:///just-a-path|no host",
      "https://" + HOST + ":8443|unexpected port 8443",
      "https://" + HOST + "/api|unexpected path /api",
      "https://" + HOST + "?a=b|unexpected query, fragment or user info",
      "https://" + HOST + "#frag|unexpected query, fragment or user info",
      "https://user@" + HOST + "|unexpected query, fragment or user info",
      "https://x.api.eu-de.kms.appdomain.cloud.example|unexpected host x.api.eu-de.kms.appdomain.cloud.example",
      "https://a.b.api.eu-de.kms.appdomain.cloud|unexpected host a.b.api.eu-de.kms.appdomain.cloud",
      "https://x.api.eude.kms.appdomain.cloud|unexpected host x.api.eude.kms.appdomain.cloud"})
  void namesWhatIsWrong(String uri, String problem) {
    assertThatThrownBy(() -> KpEndpoint.parse(URI.create(uri)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a Key Protect Dedicated endpoint: " + uri + " (" + problem + "); expected"
            + " https://<instance-id>.api[.private].<region>.kms.appdomain.cloud");
    assertThat(KpEndpoint.tryParse(URI.create(uri))).isEmpty();
  }

  @Test
  void acceptsTheDefaultPortARootPathAndAnyCase() {
    KpEndpoint e = KpEndpoint.parse(URI.create("HTTPS://" + HOST.toUpperCase() + ":443/"));

    assertThat(e.uri()).isEqualTo(URI.create("https://" + HOST));
    assertThat(e.instanceId()).isEqualTo("5d6ea6bf-3fac-4637-8e9f-b6fad5a82976");
    assertThat(e.region()).isEqualTo("eu-de");
    assertThat(e.privateEndpoint()).isFalse();
    assertThat(KpEndpoint.tryParse(URI.create("https://" + HOST))).contains(e);
  }

  @Test
  void tryParseOfNothingIsEmpty() {
    assertThat(KpEndpoint.tryParse(null)).isEmpty();
  }

  @Test
  void thePublicFormOfAPublicEndpointIsItself() {
    KpEndpoint pub = KpEndpoint.of("abc", "us-east", false);
    KpEndpoint priv = KpEndpoint.of("abc", "us-east", true);

    assertThat(pub.toPublic()).isSameAs(pub);
    assertThat(priv.toPublic()).isEqualTo(pub);
    assertThat(priv.uri()).isEqualTo(URI.create("https://abc.api.private.us-east.kms.appdomain.cloud"));
    assertThat(pub.target().instanceGuid()).isEqualTo("abc");
    assertThat(pub.target().endpoint()).isEqualTo(pub.uri());
    assertThat(pub.target().isPrivateEndpoint()).isFalse();
  }

  @Test
  void requiresEveryPart() {
    URI u = URI.create("https://" + HOST);
    assertThatThrownBy(() -> new KpEndpoint(null, "a", "b", false)).hasMessage("uri");
    assertThatThrownBy(() -> new KpEndpoint(u, null, "b", false)).hasMessage("instanceId");
    assertThatThrownBy(() -> new KpEndpoint(u, "a", null, false)).hasMessage("region");
    assertThatThrownBy(() -> KpEndpoint.of(null, "b", false)).hasMessage("instanceId");
    assertThatThrownBy(() -> KpEndpoint.of("a", null, false)).hasMessage("region");
    assertThatThrownBy(() -> KpEndpoint.parse(null)).hasMessage("uri");
  }
}
