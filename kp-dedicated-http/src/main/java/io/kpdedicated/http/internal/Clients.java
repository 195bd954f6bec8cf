package io.kpdedicated.http.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The JDK clients the REST transport sends with: either one client the caller gave, for every
 * URI, or two made on first use. The one for {@code https} has the JDK's default TLS context. The
 * one for plain {@code http} (only loopback addresses are allowed, for an emulator) gets a TLS
 * context with no keys and no trust anchors: it never speaks TLS, and making it skips loading the
 * JDK's trust store, which costs a short-lived process about 0.2 s. Thread-safe.
 */
public final class Clients {
  private final HttpClient given;
  private final Duration connectTimeout;
  private HttpClient tls;
  private HttpClient plain;

  private Clients(HttpClient given, Duration connectTimeout) {
    this.given = given;
    this.connectTimeout = connectTimeout;
  }

  /**
   * Uses one client for every URI.
   *
   * @param client the client
   * @return the clients
   */
  public static Clients of(HttpClient client) {
    return new Clients(Objects.requireNonNull(client, "client"), null);
  }

  /**
   * Makes the clients on first use, HTTP/1.1, no redirects followed (a redirect could carry the bearer token elsewhere), the given
   * connect timeout.
   *
   * @param connectTimeout the connect timeout of both
   * @return the clients
   */
  public static Clients onDemand(Duration connectTimeout) {
    return new Clients(null, Objects.requireNonNull(connectTimeout, "connectTimeout"));
  }

  /**
   * Returns the client for a URI.
   *
   * @param uri the URI of the request
   * @return the given client, or the one for the URI's scheme
   */
  public HttpClient forUri(URI uri) {
    if (given != null) {
      return given;
    }
    return "http".equalsIgnoreCase(uri.getScheme()) ? plain() : tls();
  }

  /**
   * Creates the JDK client the REST transport uses by default for https: HTTP/1.1, no redirects
   * followed (a redirect could carry the bearer token elsewhere), the given connect timeout.
   *
   * @param connectTimeout the connect timeout
   * @return a new client
   */
  static HttpClient newClient(Duration connectTimeout) {
    return clientBuilder(connectTimeout).build();
  }

  /**
   * Returns a builder with the settings of {@link #newClient(Duration)}.
   *
   * @param connectTimeout the connect timeout
   * @return the builder
   */
  static HttpClient.Builder clientBuilder(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
  }

  private synchronized HttpClient tls() {
    if (tls == null) {
      tls = newClient(connectTimeout);
    }
    return tls;
  }

  private synchronized HttpClient plain() {
    if (plain == null) {
      plain = clientBuilder(connectTimeout).sslContext(noTls()).build();
    }
    return plain;
  }

  /** A TLS context that can never complete a handshake: no keys, no trust anchors. */
  private static SSLContext noTls() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[0], new TrustManager[0], null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS context", e);
    }
  }
}
