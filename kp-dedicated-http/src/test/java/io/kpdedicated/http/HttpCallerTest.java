package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.Remediations;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.CannedHttpClient.Canned;
import io.kpdedicated.http.internal.Clients;
import io.kpdedicated.http.internal.HttpCaller;
import io.kpdedicated.http.internal.HttpCaller.Call;
import io.kpdedicated.http.internal.SdkInfo;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HttpCaller} on its own: the headers of every attempt, the one retry after a 401, the
 * bounds of success, and each failure turned into its typed exception with what to do.
 */
class HttpCallerTest {
  private static final URI PUBLIC = URI.create("https://kp.example.test/api/v2/keys");
  private static final URI PRIVATE = URI.create("https://guid.api.private.us-south.kms.appdomain.cloud/x");
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private final List<HttpRequest> sent = new ArrayList<>();
  private final CountingTokens tokens = new CountingTokens();
  private final MutableClock clock = new MutableClock(T0);

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private static Canned answer(int status, String contentType, String body, String... headers) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    if (contentType != null) {
      h.put("Content-Type", List.of(contentType));
    }
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], List.of(headers[i + 1]));
    }
    return new Canned(status, h, body.getBytes(StandardCharsets.UTF_8));
  }

  private HttpCaller caller(CannedHttpClient.Answerer answers) {
    return caller(answers, tokens);
  }

  private HttpCaller caller(CannedHttpClient.Answerer answers, TokenProvider provider) {
    CannedHttpClient client = CannedHttpClient.answering(r -> {
      sent.add(r);
      return answers.answer(r);
    });
    return new HttpCaller(Clients.of(client), provider, Duration.ofMillis(2500), 1024, "corr-1", clock);
  }

  private HttpCaller answering(Canned... answers) {
    AtomicInteger i = new AtomicInteger();
    return caller(r -> answers[Math.min(i.getAndIncrement(), answers.length - 1)]);
  }

  private static Call get() {
    return new Call(Operation.LIST_UNITS, "GET", PUBLIC);
  }

  private static String header(HttpRequest r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  // --- what every attempt carries ---------------------------------------------------------------

  @Test
  void sendsTheCommonHeadersAndTheBearerToken() {
    answering(answer(200, "application/json", "{}")).execute(get());

    HttpRequest r = sent.get(0);
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.uri()).isEqualTo(PUBLIC);
    assertThat(header(r, "User-Agent")).isEqualTo(SdkInfo.userAgent());
    assertThat(header(r, "Accept")).isEqualTo("application/json");
    assertThat(header(r, "X-Correlation-ID")).isEqualTo("corr-1");
    assertThat(header(r, "X-Request-ID")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(header(r, "Authorization")).isEqualTo("Bearer tok-1");
    assertThat(header(r, "Content-Type")).isNull();
    assertThat(r.timeout()).contains(Duration.ofMillis(2500));
    assertThat(r.bodyPublisher().orElseThrow().contentLength()).isZero();
  }

  @Test
  void eachAttemptHasItsOwnRequestId() {
    HttpCaller c = answering(answer(200, null, ""));
    c.execute(get());
    c.execute(get());

    assertThat(header(sent.get(0), "X-Request-ID")).isNotEqualTo(header(sent.get(1), "X-Request-ID"));
  }

  @Test
  void anUnauthenticatedCallSendsNoTokenAndNeedsNoProvider() {
    HttpCaller c = caller(r -> answer(200, null, ""), null);

    c.execute(get().unauthenticated());

    assertThat(header(sent.get(0), "Authorization")).isNull();
    assertThatThrownBy(() -> c.execute(get())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no token provider");
  }

  @Test
  void sendsAJsonBodyWithItsTypeAndTheCallsOwnHeaders() {
    answering(answer(200, null, "")).execute(new Call(Operation.CLAIM, "PUT", PUBLIC)
        .json("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).header("X-Extra", "e"));

    HttpRequest r = sent.get(0);
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(header(r, "Content-Type")).isEqualTo("application/json");
    assertThat(header(r, "X-Extra")).isEqualTo("e");
    assertThat(RequestBodies.read(r)).isEqualTo("{\"a\":1}");
  }

  @Test
  void sendsAFormBodyWithItsType() {
    Call call = new Call(Operation.TOKEN, "POST", PUBLIC).unauthenticated()
        .form("a=b".getBytes(StandardCharsets.UTF_8));
    answering(answer(200, null, "")).execute(call);

    assertThat(header(sent.get(0), "Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(RequestBodies.read(sent.get(0))).isEqualTo("a=b");
    assertThat(call.body()).asString(StandardCharsets.UTF_8).isEqualTo("a=b");
  }

  @Test
  void perAttemptHeadersAreComputedAfreshForTheRetryAfterA401() {
    AtomicInteger made = new AtomicInteger();
    HttpCaller.Result result = answering(answer(401, null, ""), answer(204, null, ""))
        .execute(get().perAttempt(() -> Map.of("X-Nonce", "n" + made.incrementAndGet())));

    assertThat(result.status()).isEqualTo(204);
    assertThat(sent).extracting(r -> header(r, "X-Nonce")).containsExactly("n1", "n2");
    assertThat(sent).extracting(r -> header(r, "Authorization"))
        .containsExactly("Bearer tok-1", "Bearer tok-2");
    assertThat(tokens.invalidated).containsExactly("tok-1");
  }

  @Test
  void a401TwiceIsAServiceErrorSayingTheTokenWasRefreshed() {
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(401, null, "")).execute(get()));

    assertThat(sent).hasSize(2);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.getMessage()).isEqualTo("list-units failed: HTTP 401 (empty body)"
        + " (refused again after a token refresh)");
  }

  @Test
  void anUnauthenticatedCallIsNotRetriedAfterA401() {
    HttpCaller c = caller(r -> answer(401, null, ""), tokens);

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> c.execute(get().unauthenticated()));

    assertThat(sent).hasSize(1);
    assertThat(tokens.invalidated).isEmpty();
    assertThat(e.getMessage()).doesNotContain("refused again");
  }

  // --- the bounds of success --------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 299})
  void every2xxIsASuccess(int status) {
    HttpCaller.Result r = answering(answer(status, "application/json", "{\"x\":1}")).execute(get());

    assertThat(r.status()).isEqualTo(status);
    assertThat(r.body()).asString(StandardCharsets.UTF_8).isEqualTo("{\"x\":1}");
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
  }

  @ParameterizedTest
  @ValueSource(ints = {199, 300, 404, 500})
  void everyOtherStatusIsAServiceError(int status) {
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(status, null, "")).execute(get()));

    assertThat(e.status()).isEqualTo(status);
    assertThat(sent).hasSize(1);
  }

  @Test
  void aResultWithoutContentTypeSaysSo() {
    assertThat(answering(answer(200, null, "")).execute(get()).contentType()).isNull();
  }

  // --- request ids --------------------------------------------------------------------------------

  @Test
  void quotesTheServersRequestIdInOrderOfPreference() {
    assertThat(answering(answer(200, null, "", "X-Request-ID", "a", "Transaction-Id", "b",
        "X-Global-Transaction-Id", "c")).execute(get()).requestId()).isEqualTo("a");
    assertThat(answering(answer(200, null, "", "Transaction-Id", "b",
        "X-Global-Transaction-Id", "c")).execute(get()).requestId()).isEqualTo("b");
    assertThat(answering(answer(200, null, "", "X-Request-ID", " ",
        "X-Global-Transaction-Id", "c")).execute(get()).requestId()).isEqualTo("c");
  }

  @Test
  void withoutAServerRequestIdQuotesTheOneSent() {
    HttpCaller.Result r = answering(answer(200, null, "")).execute(get());

    assertThat(r.requestId()).isEqualTo(header(sent.get(0), "X-Request-ID"));
  }

  @Test
  void cutsALongServerRequestIdTo128Characters() {
    String id = "r".repeat(128);
    assertThat(answering(answer(200, null, "", "X-Request-ID", id)).execute(get()).requestId())
        .isEqualTo(id);
    assertThat(answering(answer(200, null, "", "X-Request-ID", id + "tail")).execute(get()).requestId())
        .isEqualTo(id);
  }

  // --- service errors ---------------------------------------------------------------------------

  @Test
  void aServiceErrorQuotesCodeMessageUnitAndTheBodysRequestId() {
    String kp = "{\"resources\":[{\"errorMsg\":\"Conflict\",\"reasons\":[{\"code\":\"C-9\","
        + "\"message\":\"taken\"}]}],\"request_id\":\"body-rid\"}";
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(409, "application/json", kp, "X-Request-ID", "hdr-rid"))
            .execute(get().unit("u1")));

    assertThat(e.getMessage()).isEqualTo("list-units for crypto unit u1 failed: HTTP 409 C-9: Conflict: taken");
    assertThat(e.serviceCode()).contains("C-9");
    assertThat(e.requestId()).contains("body-rid");
    assertThat(e.unitId()).contains("u1");
    assertThat(e.operation()).isEqualTo(Operation.LIST_UNITS);
  }

  @Test
  void withoutARequestIdInTheBodyTheHeadersIsQuoted() {
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(500, "application/json", "{\"message\":\"m\"}", "X-Request-ID", "hdr"))
            .execute(get()));

    assertThat(e.requestId()).contains("hdr");
    assertThat(e.serviceCode()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("list-units failed: HTTP 500: m");
  }

  @Test
  void describesABodyThatSaysNothing() {
    assertThat(catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(502, "text/html", "<html>bad gateway</html>")).execute(get())).getMessage())
        .isEqualTo("list-units failed: HTTP 502 (an HTML error page, probably from a proxy or gateway)");
    assertThat(catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(500, "application/json", "[1]")).execute(get())).getMessage())
        .isEqualTo("list-units failed: HTTP 500 (3 bytes of unrecognized error body)");
    assertThat(catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(500, "application/json", "{\"code\":\"C\"}")).execute(get())).getMessage())
        .isEqualTo("list-units failed: HTTP 500 C (12 bytes of unrecognized error body)");
  }

  @Test
  void passesRetryAfterOn() {
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(429, null, "", "Retry-After", "7")).execute(get()));

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(429, null, "")).execute(get())).retryAfter()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403})
  void iamRefusingTheKeyPointsAtTheApiKey(int status) {
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(status, null, "")).execute(
            new Call(Operation.TOKEN, "POST", PUBLIC).unauthenticated()));

    assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).startsWith("IAM refused the API key"));
  }

  @ParameterizedTest
  @ValueSource(ints = {404, 500})
  void otherIamFailuresDoNotBlameTheKey(int status) {
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(status, null, "")).execute(
            new Call(Operation.TOKEN, "POST", PUBLIC).unauthenticated()));

    assertThat(e.remediation().orElse("")).doesNotContain("IAM refused");
  }

  @Test
  void aRefusalOfAnotherOperationDoesNotBlameTheApiKey() {
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(400, null, "")).execute(get()));

    assertThat(e.remediation().orElse("")).doesNotContain("IAM refused");
  }

  @Test
  void redactsTheTokenAndTheSentSecretFromServerText() {
    char[] secret = "api-key-XYZ".toCharArray();
    String body = "{\"code\":\"tok-1\",\"message\":\"key api-key-XYZ and tok-1 refused\","
        + "\"request_id\":\"rid-tok-1\"}";
    HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
        () -> answering(answer(400, "application/json", body)).execute(get().redacting(secret)));

    assertThat(e.getMessage()).doesNotContain("api-key-XYZ").doesNotContain("tok-1")
        .contains("[redacted]");
    assertThat(e.serviceCode().orElseThrow()).doesNotContain("tok-1");
    assertThat(e.requestId().orElseThrow()).doesNotContain("tok-1");
  }

  // --- refused endpoints and tokens -------------------------------------------------------------

  @Test
  void refusesPlainHttpToAnotherHostBeforeSendingAByte() {
    TransportException e = catchThrowableOfType(TransportException.class, () -> answering(
        answer(200, null, "")).execute(new Call(Operation.CLAIM, "POST",
            URI.create("http://kp.example.test/x")).unit("u2")));

    assertThat(sent).isEmpty();
    assertThat(e.getMessage()).startsWith("Refused to call claim: plain http is refused for kp.example.test");
    assertThat(e.unitId()).contains("u2");
    assertThat(e.retryable()).isFalse();
    assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("https"));
  }

  @Test
  void aFailingTokenProviderIsATypedNonRetryableError() {
    TokenProvider broken = new TokenProvider() {
      @Override
      public String token() {
        throw new IllegalArgumentException("secret detail");
      }

      @Override
      public void invalidate(String rejectedToken) {}
    };

    TransportException e = catchThrowableOfType(TransportException.class,
        () -> caller(r -> answer(200, null, ""), broken).execute(get()));

    assertThat(sent).isEmpty();
    assertThat(e.operation()).isEqualTo(Operation.TOKEN);
    assertThat(e.getMessage()).isEqualTo("The token provider failed (IllegalArgumentException)");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTypedFailureOfTheTokenProviderPassesThroughUnchanged() {
    TransportException original = new TransportException(Operation.TOKEN, null, "IAM down", null, true, null);
    TokenProvider down = new TokenProvider() {
      @Override
      public String token() {
        throw original;
      }

      @Override
      public void invalidate(String rejectedToken) {}
    };

    assertThat(catchThrowableOfType(KpDedicatedException.class,
        () -> caller(r -> answer(200, null, ""), down).execute(get()))).isSameAs(original);
  }

  private static TokenProvider handingOut(String token) {
    return new TokenProvider() {
      @Override
      public String token() {
        return token;
      }

      @Override
      public void invalidate(String rejectedToken) {}
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void aBlankTokenIsRefused(String blank) {
    TransportException e = catchThrowableOfType(TransportException.class,
        () -> caller(r -> answer(200, null, ""), handingOut(blank)).execute(get()));

    assertThat(e.getMessage()).isEqualTo("The token provider returned no token");
    assertThat(sent).isEmpty();
  }

  @Test
  void aNullTokenIsRefused() {
    assertThat(catchThrowableOfType(TransportException.class,
        () -> caller(r -> answer(200, null, ""), handingOut(null)).execute(get())).getMessage())
        .isEqualTo("The token provider returned no token");
  }

  // --- transport failures -------------------------------------------------------------------------

  private TransportException failing(Call call, CannedHttpClient.Answerer thrower) {
    return catchThrowableOfType(TransportException.class, () -> caller(thrower).execute(call));
  }

  @Test
  void aConnectTimeoutIsARetryableTimeoutWithTheGeneralAdvice() {
    TransportException e = failing(get().unit("u1"), r -> {
      throw new HttpConnectTimeoutException("HTTP connect timed out");
    });

    assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).isEqualTo("list-units for crypto unit u1 timed out: connecting timed out");
    assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("raise the connect/request timeout"));
  }

  @Test
  void aRequestTimeoutNamesTheTimeout() {
    TransportException e = failing(get(), r -> {
      throw new HttpTimeoutException("request timed out");
    });

    assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(e.getMessage()).isEqualTo("list-units timed out: no answer within 2500 ms");
  }

  @Test
  void aTimeoutAgainstAPrivateEndpointNamesItAndSaysWhereItWorks() {
    TransportException e = failing(new Call(Operation.LIST_UNITS, "GET", PRIVATE).privateEndpoint(true),
        r -> {
          throw new HttpTimeoutException("request timed out");
        });

    assertThat(e.getMessage()).endsWith("timed out: no answer within 2500 ms (private endpoint "
        + PRIVATE.getHost() + ")");
    assertThat(e.remediation()).contains(Remediations.PRIVATE_ENDPOINT_TIMEOUT);
  }

  @Test
  void aTimeoutWrappedInAnIoFailureIsStillATimeout() {
    TransportException e = failing(get(), r -> {
      throw new IOException("wrapped", new HttpTimeoutException("late"));
    });

    assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(e.getMessage()).endsWith("no answer within 2500 ms");
  }

  @Test
  void anInterruptedCallKeepsTheInterruptAndIsNotRetried() {
    TransportException e = failing(get().unit("u3"), r -> {
      throw new InterruptedException();
    });

    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).isEqualTo("Interrupted while calling list-units");
    assertThat(e.unitId()).contains("u3");
    assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void aRefusedConnectionNamesTheRootCause() {
    TransportException e = failing(get().unit("u1"), r -> {
      throw new IOException("outer", new ConnectException("Connection refused"));
    });

    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).isEqualTo(
        "list-units for crypto unit u1 failed: connection refused (ConnectException: Connection refused)");
    assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("resumes where it stopped"));
  }

  @Test
  void aRefusedConnectionToAPrivateEndpointSaysWhereItWorks() {
    TransportException e = failing(new Call(Operation.LIST_UNITS, "GET", PRIVATE).privateEndpoint(true),
        r -> {
          throw new ConnectException("Connection refused");
        });

    assertThat(e.getMessage()).isEqualTo("list-units failed: connection refused (private endpoint "
        + PRIVATE.getHost() + ")");
    assertThat(e.remediation()).contains(Remediations.PRIVATE_ENDPOINT_TIMEOUT);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aDroppedConnectionToAPrivateEndpointGetsTheGeneralAdvice() {
    TransportException e = failing(new Call(Operation.LIST_UNITS, "GET", PRIVATE).privateEndpoint(true),
        r -> {
          throw new IOException("reset");
        });

    assertThat(e.getMessage()).isEqualTo("list-units failed: connection failed or dropped (IOException: reset)");
    assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).doesNotContain("private"));
  }

  @Test
  void anIoFailureWithoutMessageNamesItsType() {
    TransportException e = failing(get(), r -> {
      throw new IOException();
    });

    assertThat(e.getMessage()).isEqualTo("list-units failed: connection failed or dropped (IOException)");
  }

  @Test
  void anOversizeBodyIsAMalformedAnswerNamingTheLimit() {
    TransportException e = failing(get().unit("u4"), r -> answer(200, "application/json", "x".repeat(1025)));

    assertThat(e.kind()).isEqualTo(FailureKind.INVALID_ANSWER);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).isEqualTo(
        "Malformed answer to list-units for crypto unit u4: the body is larger than 1024 bytes");
  }

  @Test
  void aBodyOfExactlyTheLimitIsRead() {
    HttpCaller.Result r = answering(answer(200, "application/json", "x".repeat(1024))).execute(get());

    assertThat(r.body()).hasSize(1024);
  }

  @Test
  void anUnresolvableHostNamesTheHost() {
    TransportException e = failing(get(), r -> {
      throw new UnresolvedAddressException();
    });

    assertThat(e.getMessage()).isEqualTo("list-units failed: host kp.example.test cannot be resolved");
    assertThat(e.retryable()).isTrue();
  }

  // --- the caller itself ----------------------------------------------------------------------

  @Test
  void withCorrelationIdChangesOnlyTheCorrelationId() {
    HttpCaller original = answering(answer(200, null, ""));
    HttpCaller other = original.withCorrelationId("corr-2");

    other.execute(get());
    original.execute(get());

    assertThat(other.correlationId()).isEqualTo("corr-2");
    assertThat(original.correlationId()).isEqualTo("corr-1");
    assertThat(other.clock()).isSameAs(clock);
    assertThat(sent).extracting(r -> header(r, "X-Correlation-ID")).containsExactly("corr-2", "corr-1");
    assertThat(sent).extracting(r -> header(r, "Authorization")).containsOnly("Bearer tok-1");
  }
}
