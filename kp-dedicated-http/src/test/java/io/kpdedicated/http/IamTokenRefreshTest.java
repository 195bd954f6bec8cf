package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.CannedHttpClient.Canned;
import io.kpdedicated.http.StubServer.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The refresh lock, the lifetime rules and their exact bounds, the shape of the token an IAM answer
 * may carry, the form and its wiping, and what is logged.
 */
class IamTokenRefreshTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final long YEAR_SECONDS = Duration.ofDays(366).getSeconds();
  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);

  private StubServer iam;
  private MutableClock clock;

  @BeforeEach
  void start() throws Exception {
    iam = new StubServer();
    clock = new MutableClock(T0);
  }

  @AfterEach
  void stop() {
    iam.close();
  }

  private IamTokenProvider provider() {
    return IamTokenProvider.builder().endpoint(iam.baseUri()).apiKey("key".toCharArray())
        .clock(clock).build();
  }

  private static Answer token(String token, long expiresIn) {
    return Answer.json(200, "{\"access_token\":\"" + token + "\",\"expires_in\":" + expiresIn
        + "}");
  }

  /** Spins (no sleeping) until {@code done} holds, failing after a generous deadline. */
  private static void await(String what, java.util.function.BooleanSupplier done) {
    long end = System.nanoTime() + DEADLINE_NANOS;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void callersQueuedBehindARefreshReuseItsTokenInsteadOfFetchingAgain() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger fetches = new AtomicInteger();
    iam.otherwise(r -> {
      int n = fetches.incrementAndGet();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return token("shared-" + n, 3600);
    });
    IamTokenProvider p = provider();
    ConcurrentLinkedQueue<String> tokens = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    Runnable call = () -> {
      try {
        tokens.add(p.token());
      } catch (Throwable t) {
        failures.add(t);
      }
    };

    Thread first = new Thread(call, "refresher");
    first.start();
    await("the first caller is fetching", () -> fetches.get() == 1);
    List<Thread> queued = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Thread t = new Thread(call, "queued-" + i);
      queued.add(t);
      t.start();
    }
    // every other caller is parked on the refresh lock while the first one fetches
    await("the other callers wait for the lock", () -> queued.stream()
        .allMatch(t -> t.getState() == Thread.State.WAITING));
    release.countDown();
    first.join(TimeUnit.SECONDS.toMillis(20));
    for (Thread t : queued) {
      t.join(TimeUnit.SECONDS.toMillis(20));
    }

    assertThat(failures).isEmpty();
    assertThat(tokens).hasSize(8).containsOnly("shared-1");
    assertThat(fetches).hasValue(1);
    assertThat(iam.requests()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tok\\nInjected: header", "tok\\rInjected: header", "tok other",
      "tok\\r\\n", "\\ntok", "\\rtok", " tok"})
  void refusesATokenThatWouldSpanLinesOrWordsInTheAuthorizationHeader(String jsonText) {
    iam.on("POST", "/identity/token", Answer.json(200, "{\"access_token\":\"" + jsonText
        + "\",\"expires_in\":3600}"));

    assertThatThrownBy(provider()::token)
        .isInstanceOfSatisfying(TransportException.class, e -> {
          assertThat(e.operation()).isEqualTo(Operation.TOKEN);
          assertThat(e).hasMessageContaining("access_token").hasMessageContaining("single token")
              .hasMessageNotContaining("Injected");
        });
  }

  @Test
  void acceptsATokenWithDotsDashesAndUnderscores() {
    iam.on("POST", "/identity/token", token("eyJ.a-b_c.d", 3600));

    assertThat(provider().token()).isEqualTo("eyJ.a-b_c.d");
  }

  @Test
  void refreshesNoLaterThanTenSecondsBeforeExpiryForShortLivedTokens() {
    // 30 s lifetime: 80 % would be 24 s, but the token must not be used in its last 10 s
    iam.on("POST", "/identity/token", token("a", 30), token("b", 30));
    IamTokenProvider p = provider();

    assertThat(p.token()).isEqualTo("a");
    clock.advance(Duration.ofSeconds(19));
    assertThat(p.token()).isEqualTo("a");
    clock.advance(Duration.ofSeconds(1));
    assertThat(p.token()).isEqualTo("b");
  }

  @Test
  void takesTheExpirationTimeWhenOnlyItIsGiven() {
    iam.on("POST", "/identity/token",
        Answer.json(200, "{\"access_token\":\"a\",\"expiration\":" + (T0.getEpochSecond() + 1000)
            + "}"),
        token("b", 1000));
    IamTokenProvider p = provider();

    assertThat(p.token()).isEqualTo("a");
    clock.advance(Duration.ofSeconds(799));
    assertThat(p.token()).isEqualTo("a");
    clock.advance(Duration.ofSeconds(1));
    assertThat(p.token()).isEqualTo("b");
  }

  @Test
  void anExpirationInThePastMeansFetchingAgainOnTheNextCall() {
    iam.on("POST", "/identity/token",
        Answer.json(200, "{\"access_token\":\"a\",\"expiration\":" + (T0.getEpochSecond() - 5)
            + "}"),
        token("b", 1000));
    IamTokenProvider p = provider();

    assertThat(p.token()).isEqualTo("a");
    assertThat(p.token()).isEqualTo("b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"expires_in\":-1", "\"expires_in\":31622401",
      "\"expiration\":-1", "\"expiration\":99999999999"})
  void refusesLifetimesOutsideAYear(String field) {
    iam.on("POST", "/identity/token", Answer.json(200, "{\"access_token\":\"a\"," + field + "}"));

    assertThatThrownBy(provider()::token).isInstanceOf(TransportException.class)
        .hasMessageContaining(field.substring(1, field.indexOf('"', 1)));
  }

  @Test
  void acceptsTheLongestAndShortestLifetimes() {
    iam.on("POST", "/identity/token", token("long", 31_622_400), token("zero", 0));
    IamTokenProvider p = provider();

    assertThat(p.token()).isEqualTo("long");
    p.invalidate("long");
    assertThat(p.token()).isEqualTo("zero");
  }

  @Test
  void aFailedRefreshAfterTheTokenCanNoLongerBeUsedIsThrown() {
    iam.on("POST", "/identity/token", token("tok-1", 1000),
        Answer.json(503, "{\"errorCode\":\"BXNIM0001E\",\"errorMessage\":\"down\"}"));
    IamTokenProvider p = provider();
    p.token();

    clock.advance(Duration.ofSeconds(989));
    assertThat(p.token()).isEqualTo("tok-1");
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(p::token).isInstanceOf(HttpServiceException.class);
  }

  @Test
  void invalidatingAnotherTokenKeepsTheCachedOne() {
    iam.on("POST", "/identity/token", token("a", 3600), token("b", 3600));
    IamTokenProvider p = provider();
    p.token();

    p.invalidate("not-the-cached-one");

    assertThat(p.token()).isEqualTo("a");
    assertThat(iam.requests()).hasSize(1);
  }

  @Test
  void percentEncodesEveryByteOfTheApiKeyOutsideTheUnreservedSet() {
    iam.on("POST", "/identity/token", token("a", 3600));

    IamTokenProvider.builder().endpoint(iam.baseUri()).apiKey("aZ09-_.~ +/=&é".toCharArray())
        .clock(clock).build().token();

    assertThat(iam.requests().get(0).bodyText()).endsWith(
        "&apikey=aZ09-_.~%20%2B%2F%3D%26%C3%A9");
  }

  @Test
  void sendsTheConfiguredCorrelationIdToIam() {
    iam.on("POST", "/identity/token", token("a", 3600));

    IamTokenProvider.builder().endpoint(iam.baseUri()).apiKey("k".toCharArray()).clock(clock)
        .correlationId("run-42").build().token();

    assertThat(iam.requests().get(0).header("X-Correlation-ID")).isEqualTo("run-42");
  }

  @Test
  void refusesAnEmptyApiKeyAndNonPositiveTimeouts() {
    assertThatThrownBy(() -> IamTokenProvider.builder().apiKey(new char[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKey");
    assertThatThrownBy(() -> IamTokenProvider.builder().requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> IamTokenProvider.builder().connectTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
  }

  @Test
  void wipesTheBuildersCopyOfTheApiKeyAndKeepsItsOwn() {
    char[] key = "secret-key".toCharArray();
    IamTokenProvider.Builder b = IamTokenProvider.builder().endpoint(iam.baseUri()).apiKey(key)
        .clock(clock);
    java.util.Arrays.fill(key, 'x');
    iam.on("POST", "/identity/token", token("a", 3600));

    b.build().token();

    assertThat(iam.requests().get(0).bodyText()).endsWith("apikey=secret-key");
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
  }

  private IamTokenProvider provider(String apiKey) {
    return IamTokenProvider.builder().endpoint(iam.baseUri()).apiKey(apiKey.toCharArray())
        .clock(clock).build();
  }

  private static Answer answer(String fields) {
    return Answer.json(200, "{\"access_token\":\"a\"," + fields + "}");
  }

  @Test
  void anExpirationAtTheEpochIsAcceptedAsAlreadyExpired() {
    iam.on("POST", "/identity/token", answer("\"expiration\":0"), answer("\"expires_in\":3600"));
    IamTokenProvider p = provider("k");

    assertThat(p.token()).isEqualTo("a");
    p.token();
    assertThat(iam.requests()).hasSize(2);
  }

  @Test
  void anExpirationExactlyAYearAwayIsAccepted() {
    iam.on("POST", "/identity/token", answer("\"expiration\":" + (T0.getEpochSecond() + YEAR_SECONDS)));

    assertThat(provider("k").token()).isEqualTo("a");
  }

  @Test
  void sendsTheUnreservedCharactersAsTheyAreAndTheirNeighboursEncoded() {
    iam.on("POST", "/identity/token", answer("\"expires_in\":3600"));

    provider("azAZ09`{@[/:").token();

    assertThat(iam.requests().get(0).bodyText()).endsWith("&apikey=azAZ09%60%7B%40%5B%2F%3A");
  }

  @Test
  void wipesTheFormWithTheApiKeyOnceTheExchangeIsOver() {
    List<HttpRequest> sent = new ArrayList<>();
    HttpClient client = new CannedHttpClient(r -> {
      sent.add(r);
      return new Canned(200, Map.of("Content-Type", List.of("application/json")),
          "{\"access_token\":\"a\",\"expires_in\":3600}".getBytes(StandardCharsets.UTF_8));
    });
    IamTokenProvider p = IamTokenProvider.builder().endpoint(URI.create("https://iam.example.test"))
        .apiKey("my-api-key".toCharArray()).clock(clock).httpClient(client).build();

    assertThat(p.token()).isEqualTo("a");

    String body = RequestBodies.read(sent.get(0));
    assertThat(body).hasSize("grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=my-api-key".length())
        .matches("\u0000+");
  }

  @Test
  void namesItsEndpointAndChainsEveryBuilderSetting() {
    IamTokenProvider p = IamTokenProvider.builder().endpoint(iam.baseUri())
        .connectTimeout(Duration.ofSeconds(3)).requestTimeout(Duration.ofSeconds(4))
        .httpClient(HttpClient.newHttpClient()).correlationId("c").clock(clock)
        .apiKey("k".toCharArray()).build();

    assertThat(p.endpoint()).isEqualTo(iam.baseUri());
    assertThat(p.toString()).isEqualTo("IamTokenProvider[" + iam.baseUri() + ", api key redacted]");
  }

  @Test
  void logsTheLifetimeOfAFetchedTokenAndAFailedRefreshButNeverTheToken() {
    iam.on("POST", "/identity/token", Answer.json(200, "{\"access_token\":\"tok-secret\",\"expires_in\":1000}"),
        Answer.json(503, "{\"errorMessage\":\"down\"}"));
    List<LogRecord> records;
    try (LogCapture logs = new LogCapture()) {
      IamTokenProvider p = provider("k");
      p.token();
      clock.advance(Duration.ofSeconds(800));
      assertThat(p.token()).isEqualTo("tok-secret");
      records = logs.records();
    }

    assertThat(records).anySatisfy(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.FINE);
      assertThat(r.getMessage()).isEqualTo("fetched an IAM token valid for {0} s");
      assertThat(r.getParameters()).containsExactly(1000L);
    });
    assertThat(records).anySatisfy(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.WARNING);
      assertThat(r.getMessage()).startsWith("IAM token refresh failed");
    });
    assertThat(records).allSatisfy(r -> {
      assertThat(r.getMessage()).doesNotContain("tok-secret");
      assertThat(r.getParameters() == null ? List.of() : List.of(r.getParameters()))
          .noneSatisfy(x -> assertThat(String.valueOf(x)).contains("tok-secret"));
    });
  }

  @Test
  void anotherThreadGetsATokenRightAfterAnInvalidation() throws Exception {
    iam.on("POST", "/identity/token", answer("\"expires_in\":3600"));
    IamTokenProvider p = provider("k");
    p.token();
    p.invalidate("a");

    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<String> token = other.submit(p::token);
      assertThat(token.get(30, TimeUnit.SECONDS)).isEqualTo("a");
    } finally {
      other.shutdownNow();
    }
    assertThat(iam.requests()).hasSize(2);
  }
}
