package io.kpdedicated.http.internal;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.Remediations;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.http.HttpServiceException;
import io.kpdedicated.http.TokenProvider;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Sends one logical call: adds the common headers, enforces the endpoint rules, caps the body,
 * retries once with a fresh token after a {@code 401}, and maps every failure to a
 * {@link ServiceException} or {@link TransportException}. Immutable and thread-safe.
 */
public final class HttpCaller {
  private static final System.Logger LOG = System.getLogger("io.kpdedicated.http");

  private final Clients clients;
  private final TokenProvider tokens;
  private final Duration requestTimeout;
  private final int maxResponseBytes;
  private final String correlationId;
  private final Clock clock;

  /**
   * Creates a caller.
   *
   * @param clients the JDK clients
   * @param tokens the token source, or {@code null} for unauthenticated calls only (IAM)
   * @param requestTimeout the timeout of each HTTP exchange
   * @param maxResponseBytes the largest response body accepted
   * @param correlationId the {@code X-Correlation-ID} sent with every request
   * @param clock the clock {@code Retry-After} dates are measured against
   */
  public HttpCaller(Clients clients, TokenProvider tokens, Duration requestTimeout,
      int maxResponseBytes, String correlationId, Clock clock) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.tokens = tokens;
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.maxResponseBytes = maxResponseBytes;
    this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Returns a caller identical to this one but sending another correlation id. */
  public HttpCaller withCorrelationId(String id) {
    return new HttpCaller(clients, tokens, requestTimeout, maxResponseBytes, id, clock);
  }

  /** Returns the correlation id this caller sends. */
  public String correlationId() {
    return correlationId;
  }

  /** Returns the clock. */
  public Clock clock() {
    return clock;
  }

  /**
   * A successful (2xx) answer.
   *
   * @param status the status
   * @param headers the response headers
   * @param body the body (possibly empty)
   * @param requestId the request id to quote
   */
  public record Result(int status, HttpHeaders headers, byte[] body, String requestId) {
    /** Returns the {@code Content-Type}, or null. */
    public String contentType() {
      return headers.firstValue("Content-Type").orElse(null);
    }
  }

  /** Describes one call. Not thread-safe; build, then pass to {@link #execute(Call)}. */
  public static final class Call {
    final Operation operation;
    final String method;
    final URI uri;
    String unitId;
    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] body;
    String contentType;
    Supplier<Map<String, String>> perAttempt;
    boolean authenticated = true;
    boolean privateEndpoint;
    char[] secret;

    /**
     * Starts a call.
     *
     * @param operation what it does
     * @param method the HTTP method
     * @param uri the full URI
     */
    public Call(Operation operation, String method, URI uri) {
      this.operation = Objects.requireNonNull(operation, "operation");
      this.method = Objects.requireNonNull(method, "method");
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /** Sets the unit concerned. */
    public Call unit(String unitId) {
      this.unitId = unitId;
      return this;
    }

    /** Adds a header. */
    public Call header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Sets a JSON body. */
    public Call json(byte[] json) {
      this.body = json;
      this.contentType = "application/json";
      return this;
    }

    /** Sets a form body. */
    public Call form(byte[] form) {
      this.body = form;
      this.contentType = "application/x-www-form-urlencoded";
      return this;
    }

    /** Sets headers computed afresh for every attempt (signatures with single-use nonces). */
    public Call perAttempt(Supplier<Map<String, String>> headers) {
      this.perAttempt = headers;
      return this;
    }

    /** Sends no {@code Authorization} header. */
    public Call unauthenticated() {
      this.authenticated = false;
      return this;
    }

    /** Marks the endpoint as private, so a timeout carries the private-endpoint hint. */
    public Call privateEndpoint(boolean isPrivate) {
      this.privateEndpoint = isPrivate;
      return this;
    }

    /**
     * Names a secret sent in this call's body (the IAM API key) that must be redacted from any
     * server text quoted in an error. The array is read, not copied; keep it alive until the call
     * returns.
     */
    public Call redacting(char[] sentSecret) {
      this.secret = sentSecret;
      return this;
    }

    /** Returns the body, or null. */
    public byte[] body() {
      return body;
    }
  }

  /**
   * Executes a call.
   *
   * @param call the call
   * @return the 2xx answer
   * @throws ServiceException for a non-2xx answer
   * @throws TransportException for I/O failures, timeouts, oversize bodies and refused endpoints
   */
  public Result execute(Call call) {
    String violation = Endpoints.violation(call.uri);
    if (violation != null) {
      throw new TransportException(call.operation, call.unitId,
          "Refused to call " + call.operation.wireName() + ": " + violation,
          "Configure an https endpoint (http is accepted only for a loopback emulator).", false, null);
    }
    String token = call.authenticated ? currentToken() : null;
    Attempt a = send(call, token);
    if (a.status == 401 && call.authenticated && tokens != null) {
      LOG.log(System.Logger.Level.DEBUG, "{0} got 401; refreshing the token and retrying once",
          call.operation.wireName());
      tokens.invalidate(token);
      token = currentToken();
      a = send(call, token);
    }
    if (a.status >= 200 && a.status < 300) {
      return new Result(a.status, a.headers, a.body, a.requestId);
    }
    throw serviceError(call, a, token);
  }

  private String currentToken() {
    if (tokens == null) {
      throw new IllegalStateException("this caller has no token provider");
    }
    String t;
    try {
      t = tokens.token();
    } catch (KpDedicatedException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new TransportException(Operation.TOKEN, null,
          "The token provider failed (" + e.getClass().getSimpleName() + ")",
          "Check the token provider or IBMCLOUD_API_KEY.", false, e);
    }
    if (t == null || t.isBlank()) {
      throw new TransportException(Operation.TOKEN, null, "The token provider returned no token",
          "Check the token provider or IBMCLOUD_API_KEY.", false, null);
    }
    return t;
  }

  private record Attempt(int status, HttpHeaders headers, byte[] body, String requestId) {}

  private Attempt send(Call call, String token) {
    String requestId = UUID.randomUUID().toString();
    HttpRequest.Builder b = HttpRequest.newBuilder(call.uri)
        .timeout(requestTimeout)
        .header("User-Agent", SdkInfo.userAgent())
        .header("Accept", "application/json")
        .header("X-Request-ID", requestId)
        .header("X-Correlation-ID", correlationId);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (Map.Entry<String, String> h : call.headers.entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    if (call.perAttempt != null) {
      for (Map.Entry<String, String> h : call.perAttempt.get().entrySet()) {
        b.header(h.getKey(), h.getValue());
      }
    }
    if (call.body != null) {
      b.header("Content-Type", call.contentType);
      b.method(call.method, HttpRequest.BodyPublishers.ofByteArray(call.body));
    } else {
      b.method(call.method, HttpRequest.BodyPublishers.noBody());
    }
    long start = System.nanoTime();
    HttpResponse<byte[]> response;
    try {
      response = clients.forUri(call.uri).send(b.build(),
          new CappedBodyHandler(maxResponseBytes));
    } catch (HttpConnectTimeoutException e) {
      throw timeout(call, "connecting timed out", e);
    } catch (HttpTimeoutException e) {
      throw timeout(call, "no answer within " + requestTimeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException(call.operation, call.unitId,
          "Interrupted while calling " + call.operation.wireName(), null, false, e);
    } catch (IOException e) {
      throw ioFailure(call, e);
    } catch (UnresolvedAddressException e) {
      throw new TransportException(call.operation, call.unitId,
          call.operation.wireName() + " failed: host " + call.uri.getHost() + " cannot be resolved",
          "Check the endpoint's host name and your DNS.", true, e);
    }
    String rid = firstHeader(response.headers(), "X-Request-ID", "Transaction-Id",
        "X-Global-Transaction-Id");
    Attempt a = new Attempt(response.statusCode(), response.headers(), response.body(),
        rid != null ? rid : requestId);
    LOG.log(System.Logger.Level.DEBUG, "{0} {1} [{2}] -> {3} in {4} ms (request id {5})",
        call.method, call.uri.getRawPath(), call.operation.wireName(), a.status,
        (System.nanoTime() - start) / 1_000_000, requestId);
    return a;
  }

  private TransportException timeout(Call call, String what, Throwable cause) {
    String remediation = call.privateEndpoint
        ? Remediations.PRIVATE_ENDPOINT_TIMEOUT
        : "The service did not answer in time; retry, or raise the connect/request timeout.";
    String where = call.unitId == null ? "" : " for crypto unit " + call.unitId;
    String hint = call.privateEndpoint ? " (private endpoint " + call.uri.getHost() + ")" : "";
    return new TransportException(call.operation, FailureKind.TIMEOUT, call.unitId,
        call.operation.wireName() + where + " timed out: " + what + hint, remediation, true, cause);
  }

  private TransportException ioFailure(Call call, IOException e) {
    String where = call.unitId == null ? "" : " for crypto unit " + call.unitId;
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof CappedBodyHandler.BodyTooLargeException) {
        break;
      }
      root = root.getCause();
    }
    if (root instanceof CappedBodyHandler.BodyTooLargeException || e instanceof CappedBodyHandler.BodyTooLargeException) {
      return new TransportException(call.operation, FailureKind.INVALID_ANSWER, call.unitId,
          "Malformed answer to " + call.operation.wireName() + where + ": the body is larger than "
              + maxResponseBytes + " bytes",
          "The service or a proxy sent an unexpectedly large answer; retry, and check the endpoint.",
          true, e);
    }
    if (root instanceof HttpTimeoutException) {
      return timeout(call, "no answer within " + requestTimeout.toMillis() + " ms", e);
    }
    String kind = root instanceof ConnectException ? "connection refused" : "connection failed or dropped";
    if (call.privateEndpoint && root instanceof ConnectException) {
      return new TransportException(call.operation, call.unitId,
          call.operation.wireName() + where + " failed: " + kind + " (private endpoint "
              + call.uri.getHost() + ")", Remediations.PRIVATE_ENDPOINT_TIMEOUT, true, e);
    }
    String detail = Redactor.clean(root.getMessage(), null);
    return new TransportException(call.operation, call.unitId,
        call.operation.wireName() + where + " failed: " + kind + " ("
            + root.getClass().getSimpleName() + (detail == null ? "" : ": " + detail) + ")",
        "A network problem interrupted the call; retry (the initializer resumes where it stopped).",
        true, e);
  }

  private HttpServiceException serviceError(Call call, Attempt a, String token) {
    String contentType = a.headers.firstValue("Content-Type").orElse(null);
    ErrorBodies.ServiceError se = ErrorBodies.parse(a.body, contentType);
    String code = Redactor.clean(se.code(), token, call.secret);
    String msg = Redactor.clean(se.message(), token, call.secret);
    String requestId = se.requestId() != null
        ? Redactor.clean(se.requestId(), token, call.secret) : a.requestId;
    StringBuilder m = new StringBuilder();
    m.append(call.operation.wireName());
    if (call.unitId != null) {
      m.append(" for crypto unit ").append(call.unitId);
    }
    m.append(" failed: HTTP ").append(a.status);
    if (code != null) {
      m.append(" ").append(code);
    }
    if (msg != null) {
      m.append(": ").append(msg);
    } else if (a.body == null || a.body.length == 0) {
      m.append(" (empty body)");
    } else if (Wire.looksLikeHtml(a.body, contentType)) {
      m.append(" (an HTML error page, probably from a proxy or gateway)");
    } else {
      m.append(" (").append(a.body.length).append(" bytes of unrecognized error body)");
    }
    if (call.authenticated && a.status == 401) {
      m.append(" (refused again after a token refresh)");
    }
    HttpServiceException.Builder b = HttpServiceException.builder(call.operation, a.status,
            m.toString())
        .unitId(call.unitId)
        .serviceCode(code)
        .requestId(requestId)
        .retryAfter(RetryAfter.parse(a.headers.firstValue("Retry-After").orElse(null), clock));
    if (call.operation == Operation.TOKEN && (a.status == 400 || a.status == 401 || a.status == 403)) {
      b.remediation("IAM refused the API key: check IBMCLOUD_API_KEY (it may be wrong, deleted or"
          + " expired) and the IAM endpoint.");
    }
    return b.build();
  }

  private static String firstHeader(HttpHeaders h, String... names) {
    for (String n : names) {
      String v = h.firstValue(n).orElse(null);
      if (v != null && !v.isBlank()) {
        return v.length() > 128 ? v.substring(0, 128) : v;
      }
    }
    return null;
  }
}
