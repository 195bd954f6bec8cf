package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.StubServer.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IamTokenProviderTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final String API_KEY = "my-secret-api/key+1";

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
    return IamTokenProvider.builder().endpoint(iam.baseUri()).apiKey(API_KEY.toCharArray())
        .clock(clock).build();
  }

  private static Answer token(String token, long expiresIn, Instant now) {
    return Answer.json(200, "{\"access_token\":\"" + token + "\",\"refresh_token\":\"not_supported\","
        + "\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"expiration\":"
        + (now.getEpochSecond() + expiresIn) + ",\"scope\":\"ibm openid\"}");
  }

  @Test
  void postsTheApiKeyGrantAsAFormAndReturnsTheAccessToken() {
    iam.on("POST", "/identity/token", token("tok-1", 3600, T0));

    assertThat(provider().token()).isEqualTo("tok-1");

    StubServer.Recorded r = iam.requests().get(0);
    assertThat(r.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(r.header("Accept")).isEqualTo("application/json");
    assertThat(r.header("Authorization")).isNull();
    assertThat(r.bodyText()).isEqualTo(
        "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=my-secret-api%2Fkey%2B1");
  }

  @Test
  void reusesTheTokenUntilEightyPercentOfItsLifetimeHasPassed() {
    iam.on("POST", "/identity/token", token("tok-1", 3600, T0), token("tok-2", 3600, T0.plusSeconds(2880)));
    IamTokenProvider p = provider();

    assertThat(p.token()).isEqualTo("tok-1");
    clock.advance(Duration.ofSeconds(2879));
    assertThat(p.token()).isEqualTo("tok-1");
    assertThat(iam.requests()).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(p.token()).isEqualTo("tok-2");
    assertThat(iam.requests()).hasSize(2);
  }

  @Test
  void usesExpiresInWhenTheAnswerHasNoExpiration() {
    iam.on("POST", "/identity/token", Answer.json(200, "{\"access_token\":\"a\",\"expires_in\":100}"),
        Answer.json(200, "{\"access_token\":\"b\",\"expires_in\":100}"));
    IamTokenProvider p = provider();

    assertThat(p.token()).isEqualTo("a");
    clock.advance(Duration.ofSeconds(80));
    assertThat(p.token()).isEqualTo("b");
  }

  @Test
  void manyWaitingCallersShareOneRefresh() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    iam.otherwise(r -> {
      calls.incrementAndGet();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return token("shared", 3600, T0);
    });
    IamTokenProvider p = provider();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(p::token));
      }
      while (calls.get() == 0) {
        Thread.onSpinWait();
      }
      release.countDown();
      for (Future<String> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("shared");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void invalidatingTheRejectedTokenFetchesANewOneOnlyOnce() {
    iam.on("POST", "/identity/token", token("old", 3600, T0), token("new", 3600, T0));
    IamTokenProvider p = provider();
    String old = p.token();

    p.invalidate(old);
    assertThat(p.token()).isEqualTo("new");
    p.invalidate(old);
    assertThat(p.token()).isEqualTo("new");
    assertThat(iam.requests()).hasSize(2);
  }

  @Test
  void keepsTheCachedTokenWhenARefreshFailsBeforeItExpires() {
    iam.on("POST", "/identity/token", token("tok-1", 1000, T0),
        Answer.json(503, "{\"errorCode\":\"BXNIM0001E\",\"errorMessage\":\"down\"}"));
    IamTokenProvider p = provider();
    p.token();
    clock.advance(Duration.ofSeconds(900));

    assertThat(p.token()).isEqualTo("tok-1");

    clock.advance(Duration.ofSeconds(95));
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, p::token);
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aRefusedApiKeyIsANonRetryableServiceErrorWithTheIamCode() {
    iam.on("POST", "/identity/token", Answer.json(400, "{\"context\":{\"requestId\":\"req-77\"},"
        + "\"errorCode\":\"BXNIM0415E\",\"errorMessage\":\"Provided API key could not be found.\"}"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, provider()::token);

    assertThat(e.operation()).isEqualTo(Operation.TOKEN);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.serviceCode()).contains("BXNIM0415E");
    assertThat(e.requestId()).contains("req-77");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("Provided API key could not be found").doesNotContain(API_KEY);
    assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("IBMCLOUD_API_KEY"));
  }

  @Test
  void anIamErrorThatEchoesTheApiKeyIsQuotedWithTheKeyRedacted() {
    iam.on("POST", "/identity/token", Answer.json(400, "{\"errorCode\":\"BXNIM0415E\","
        + "\"errorMessage\":\"API key " + API_KEY + " could not be found.\","
        + "\"context\":{\"requestId\":\"" + API_KEY + "\"}}"));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, provider()::token);

    assertThat(e.getMessage()).contains("BXNIM0415E", "[redacted]").doesNotContain(API_KEY);
    assertThat(e.requestId()).hasValueSatisfying(id -> assertThat(id).doesNotContain(API_KEY));
  }

  @Test
  void anAnswerWithoutTokenOrLifetimeIsATypedTransportError() {
    iam.on("POST", "/identity/token", Answer.json(200, "{\"expires_in\":3600}"),
        Answer.json(200, "{\"access_token\":\"x\"}"));
    IamTokenProvider p = provider();

    assertThatThrownBy(p::token).isInstanceOf(TransportException.class)
        .hasMessageContaining("access_token");
    assertThatThrownBy(p::token).isInstanceOf(TransportException.class)
        .hasMessageContaining("expires_in");
  }

  @Test
  void neverShowsTheApiKeyInToString() {
    assertThat(provider().toString()).doesNotContain(API_KEY).contains("redacted");
  }

  @Test
  void requiresAnApiKey() {
    assertThatThrownBy(() -> IamTokenProvider.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("apiKey");
  }
}
