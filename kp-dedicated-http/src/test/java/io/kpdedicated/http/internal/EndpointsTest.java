package io.kpdedicated.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Endpoints}: https everywhere, plain http only to loopback, decided from the URI alone. */
class EndpointsTest {

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "LOCALHOST", "127.0.0.1", "127.255.255.255", "127.1.20.199",
      "127.249.0.9", "::1", "[::1]", "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]"})
  void loopbackHosts(String host) {
    assertThat(Endpoints.isLoopbackHost(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"128.0.0.1", "127.256.0.1", "127.0.0.300", "127.0.0", "localhost.example",
      "my-localhost", "10.0.0.1", "::2", "[::1", "::1]", "[]", "", "1127.0.0.1"})
  void otherHosts(String host) {
    assertThat(Endpoints.isLoopbackHost(host)).isFalse();
  }

  @Test
  void noHostIsNotLoopback() {
    assertThat(Endpoints.isLoopbackHost(null)).isFalse();
  }

  @Test
  void httpsIsAllowedAnywhereAndHttpOnlyToLoopback() {
    assertThat(Endpoints.violation(URI.create("https://kp.example.test"))).isNull();
    assertThat(Endpoints.violation(URI.create("HTTPS://kp.example.test"))).isNull();
    assertThat(Endpoints.violation(URI.create("http://127.0.0.1:8080/x"))).isNull();
    assertThat(Endpoints.violation(URI.create("HTTP://localhost"))).isNull();
    assertThat(Endpoints.violation(URI.create("http://[::1]:9"))).isNull();
    assertThat(Endpoints.violation(URI.create("http://kp.example.test")))
        .isEqualTo("plain http is refused for kp.example.test: use https (http is allowed only to a"
            + " loopback address such as 127.0.0.1)");
  }

  @Test
  void namesEachOtherViolation() {
    assertThat(Endpoints.violation(null)).isEqualTo("the endpoint is missing");
    assertThat(Endpoints.violation(URI.create("/relative")))
        .isEqualTo("the endpoint /relative is not an absolute http(s) URL with a host");
    assertThat(Endpoints.violation(URI.create("https:///nohost")))
        .isEqualTo("the endpoint https:///nohost is not an absolute http(s) URL with a host");
    assertThat(Endpoints.violation(URI.create("ftp://kp.example.test")))
        .isEqualTo("the endpoint ftp://kp.example.test must use https");
  }

  @Test
  void requireAllowedNamesTheSettingAndStripsTrailingSlashes() {
    assertThat(Endpoints.requireAllowed(URI.create("https://kp.example.test/base//"), "endpoint"))
        .isEqualTo(URI.create("https://kp.example.test/base"));
    assertThatThrownBy(() -> Endpoints.requireAllowed(URI.create("http://kp.example.test"), "iamEndpoint"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("iamEndpoint: plain http is refused for kp.example.test");
    assertThatThrownBy(() -> Endpoints.requireAllowed(URI.create("https://kp.example.test/?a=1"), "e"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("e: the endpoint must not have a query or fragment: https://kp.example.test/?a=1");
    assertThatThrownBy(() -> Endpoints.requireAllowed(URI.create("https://kp.example.test/#f"), "e"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("query or fragment");
  }

  @Test
  void resolvesBelowABaseWithAPathPrefix() {
    assertThat(Endpoints.resolve(URI.create("https://kp.example.test/prefix/"), "/api/v2/keys?x=1"))
        .isEqualTo(URI.create("https://kp.example.test/prefix/api/v2/keys?x=1"));
    assertThat(Endpoints.stripTrailingSlash(URI.create("https://kp.example.test")))
        .isEqualTo(URI.create("https://kp.example.test"));
  }
}
