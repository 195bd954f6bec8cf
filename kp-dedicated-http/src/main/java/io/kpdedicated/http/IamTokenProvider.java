package io.kpdedicated.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.internal.Endpoints;
import io.kpdedicated.http.internal.Clients;
import io.kpdedicated.http.internal.HttpCaller;
import io.kpdedicated.http.internal.Wire;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exchanges an IBM Cloud API key for IAM bearer tokens: {@code POST {iam}/identity/token} with the
 * form {@code grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=...}; the answer's
 * {@code access_token}, {@code expires_in} and {@code expiration} (epoch seconds) are used.
 *
 * <p>The token is cached and refreshed once 80% of its lifetime has passed (measured on the injected
 * {@link Clock}). Thread-safe: when many threads need a new token at once, exactly one fetches it and
 * the others wait for and reuse its result. If a refresh fails while the cached token is still valid,
 * the cached token is returned and the refresh is tried again on the next call.
 *
 * <p>Neither the API key nor any token ever appears in a log line, {@code toString()} or exception
 * message.
 */
public final class IamTokenProvider implements TokenProvider {
  /** IBM Cloud's public IAM endpoint. */
  public static final URI DEFAULT_ENDPOINT = URI.create("https://iam.cloud.ibm.com");
  private static final System.Logger LOG = System.getLogger("io.kpdedicated.http");
  /** Tokens are not used during their last seconds, to allow for clock skew and transit time. */
  private static final Duration EXPIRY_SKEW = Duration.ofSeconds(10);
  /** The longest token lifetime believed; IAM's tokens live an hour, a longer claim is malformed. */
  private static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(366);

  private final URI endpoint;
  private final char[] apiKey;
  private final HttpCaller caller;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Cached cached;

  private record Cached(String token, Instant refreshAt, Instant expiresAt) {}

  private IamTokenProvider(Builder b) {
    this.endpoint = b.endpoint;
    this.apiKey = b.apiKey.clone();
    this.clock = b.clock;
    Clients clients = b.clients != null ? b.clients
        : b.httpClient != null ? Clients.of(b.httpClient) : Clients.onDemand(b.connectTimeout);
    this.caller = new HttpCaller(clients, null, b.requestTimeout, 64 * 1024,
        b.correlationId != null ? b.correlationId : UUID.randomUUID().toString(), clock);
  }

  /**
   * Starts a builder.
   *
   * @return this builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the IAM endpoint tokens are fetched from} */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Returns a valid token, fetching or refreshing it if needed.
   *
   * @throws io.kpdedicated.core.spi.ServiceException with operation {@code token} if IAM refused
   *     (e.g. 400 for a wrong API key; not retryable) or failed (5xx; retryable)
   * @throws TransportException with operation {@code token} if IAM could not be reached or answered
   *     malformed JSON
   */
  @Override
  public String token() {
    Cached c = cached;
    Instant now = clock.instant();
    if (c != null && now.isBefore(c.refreshAt)) {
      return c.token;
    }
    lock.lock();
    try {
      c = cached;
      now = clock.instant();
      if (c != null && now.isBefore(c.refreshAt)) {
        return c.token;
      }
      try {
        Cached fresh = fetch();
        cached = fresh;
        return fresh.token;
      } catch (KpDedicatedException e) {
        if (c != null && now.isBefore(c.expiresAt.minus(EXPIRY_SKEW))) {
          LOG.log(System.Logger.Level.WARNING,
              "IAM token refresh failed ({0}); using the cached token until it expires",
              e.getMessage());
          return c.token;
        }
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Drops the cached token if it is {@code rejectedToken}; the next {@link #token()} fetches anew. */
  @Override
  public void invalidate(String rejectedToken) {
    Objects.requireNonNull(rejectedToken, "rejectedToken");
    lock.lock();
    try {
      Cached c = cached;
      if (c != null && c.token.equals(rejectedToken)) {
        cached = null;
      }
    } finally {
      lock.unlock();
    }
  }

  private Cached fetch() {
    byte[] form = formBody();
    try {
      HttpCaller.Call call = new HttpCaller.Call(Operation.TOKEN, "POST",
          Endpoints.resolve(endpoint, "/identity/token")).unauthenticated().form(form)
          .redacting(apiKey);
      HttpCaller.Result r = caller.execute(call);
      Wire wire = new Wire(Operation.TOKEN, null);
      JsonNode root = wire.requireObject(wire.parse(r.body(), r.contentType()), "the IAM answer");
      String token = wire.text(root, "access_token");
      if (token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0 || token.indexOf(' ') >= 0) {
        throw wire.malformed("field 'access_token' is not a single token");
      }
      Long expiresIn = wire.optLong(root, "expires_in");
      Long expiration = wire.optLong(root, "expiration");
      Instant now = clock.instant();
      long maxSeconds = MAX_TOKEN_LIFETIME.getSeconds();
      if (expiresIn != null && (expiresIn < 0 || expiresIn > maxSeconds)) {
        throw wire.malformed("field 'expires_in' is " + expiresIn + " seconds; expected 0 to "
            + maxSeconds);
      }
      if (expiration != null && (expiration < 0 || expiration > now.getEpochSecond() + maxSeconds)) {
        throw wire.malformed("field 'expiration' (" + expiration + ") is not a time within "
            + MAX_TOKEN_LIFETIME.toDays() + " days from now");
      }
      Instant expiresAt;
      if (expiration != null) {
        expiresAt = Instant.ofEpochSecond(expiration);
      } else if (expiresIn != null) {
        expiresAt = now.plusSeconds(expiresIn);
      } else {
        throw wire.malformed("the IAM answer has neither 'expires_in' nor 'expiration'");
      }
      long lifetime = expiresIn != null ? expiresIn : Math.max(0, expiresAt.getEpochSecond() - now.getEpochSecond());
      Instant refreshAt = now.plusMillis(lifetime * 800L);
      Instant latest = expiresAt.minus(EXPIRY_SKEW);
      if (refreshAt.isAfter(latest)) {
        refreshAt = latest;
      }
      LOG.log(System.Logger.Level.DEBUG, "fetched an IAM token valid for {0} s", lifetime);
      return new Cached(token, refreshAt, expiresAt);
    } finally {
      Arrays.fill(form, (byte) 0);
    }
  }

  private byte[] formBody() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] prefix = "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey="
        .getBytes(StandardCharsets.US_ASCII);
    out.write(prefix, 0, prefix.length);
    ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(apiKey));
    byte[] raw = new byte[utf8.remaining()];
    utf8.get(raw);
    if (utf8.hasArray()) {
      Arrays.fill(utf8.array(), (byte) 0);
    }
    for (byte x : raw) {
      int c = x & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        out.write(c);
      } else {
        out.write('%');
        out.write(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.write(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    Arrays.fill(raw, (byte) 0);
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "IamTokenProvider[" + endpoint + ", api key redacted]";
  }

  /** Builds {@link IamTokenProvider}s. Not thread-safe. */
  public static final class Builder {
    private URI endpoint = DEFAULT_ENDPOINT;
    private char[] apiKey;
    private Clock clock = Clock.systemUTC();
    private HttpClient httpClient;
    private Clients clients;
    private Duration connectTimeout = HttpTransport.DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private String correlationId;

    private Builder() {}

    /**
     * Sets the IAM endpoint (default {@code https://iam.cloud.ibm.com}).
     *
     * @param endpoint the IAM endpoint (https, or http to a loopback address)
     * @return this builder
     * @throws IllegalArgumentException if it is not https (or http to a loopback address)
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Endpoints.requireAllowed(Objects.requireNonNull(endpoint, "endpoint"), "iamEndpoint");
      return this;
    }

    /**
     * Sets the API key (copied; the caller may wipe its array). Required.
     *
     * @param apiKey the IBM Cloud API key; copied, so the caller may wipe its array
     * @return this builder
     * @throws IllegalArgumentException if it is empty
     */
    public Builder apiKey(char[] apiKey) {
      this.apiKey = copyApiKey(apiKey);
      return this;
    }

    /** Returns a copy of a non-empty API key; the caller may wipe its own array. */
    static char[] copyApiKey(char[] apiKey) {
      Objects.requireNonNull(apiKey, "apiKey");
      if (apiKey.length == 0) {
        throw new IllegalArgumentException("apiKey must not be empty");
      }
      return apiKey.clone();
    }

    /**
     * Sets the clock token lifetimes are measured on (default: system UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Uses an existing JDK client (its own connect timeout applies).
     *
     * @param httpClient the JDK client to send requests with
     * @return this builder
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Shares the REST transport's clients (package-private: the transport's own wiring). */
    Builder clients(Clients clients) {
      this.clients = Objects.requireNonNull(clients, "clients");
      return this;
    }

    /**
     * Sets the connect timeout (default 10 s); ignored when an HttpClient is given.
     *
     * @param timeout the connect timeout, positive
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Sets the request timeout (default 30 s).
     *
     * @param timeout the timeout of each request, positive
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * Sets the {@code X-Correlation-ID} sent to IAM (default: a random UUID).
     *
     * @param correlationId the correlation id sent with every request
     * @return this builder
     */
    public Builder correlationId(String correlationId) {
      this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
      return this;
    }

    /**
     * Builds the provider. The API key held by this builder is wiped.
     *
     * @return the token provider
     * @throws IllegalStateException if no API key was set
     */
    public IamTokenProvider build() {
      if (apiKey == null) {
        throw new IllegalStateException("set the API key with apiKey(char[]) (for example from"
            + " IBMCLOUD_API_KEY)");
      }
      try {
        return new IamTokenProvider(this);
      } finally {
        Arrays.fill(apiKey, '\0');
        apiKey = null;
      }
    }

    static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
