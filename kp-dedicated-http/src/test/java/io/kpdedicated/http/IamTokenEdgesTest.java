package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IamTokenProvider} at its edges: the exact bounds of a lifetime, the unreserved characters
 * of the form, the wiped form, what it logs, and the lock released after an invalidation.
 */
class IamTokenEdgesTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final long YEAR_SECONDS = Duration.ofDays(366).getSeconds();

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
    List<LogRecord> records = new ArrayList<>();
    Logger jul = Logger.getLogger("io.kpdedicated.http");
    Level before = jul.getLevel();
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    jul.setLevel(Level.ALL);
    jul.addHandler(h);
    try {
      IamTokenProvider p = provider("k");
      p.token();
      clock.advance(Duration.ofSeconds(800));
      assertThat(p.token()).isEqualTo("tok-secret");
    } finally {
      jul.removeHandler(h);
      jul.setLevel(before);
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
