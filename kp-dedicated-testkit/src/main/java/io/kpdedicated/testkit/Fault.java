package io.kpdedicated.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * What an injected fault does to a call of the in-memory cloud. Immutable values; combine one with
 * an operation, a unit and a count in a {@link FaultRule}.
 */
public sealed interface Fault
    permits Fault.ErrorStatus, Fault.ConnectionDrop, Fault.ResponseLost, Fault.Maintenance,
        Fault.Latency, Fault.GatewayAnswer, Fault.MalformedAnswer {

  /**
   * The service answers with an error and does nothing.
   *
   * @param status the HTTP-like status, 400..599
   * @param serviceCode the service's error code, e.g. {@code SERVICE_UNAVAILABLE}; not blank
   * @param message the error message; not null
   * @param retryAfter the {@code Retry-After} delay, or {@code null} for none
   */
  record ErrorStatus(int status, String serviceCode, String message, Duration retryAfter)
      implements Fault {
    /**
     * Validates the fields.
     *
     * @param status the HTTP-like status, 400..599
     * @param serviceCode the service's error code, e.g. {@code SERVICE_UNAVAILABLE}; not blank
     * @param message the error message; not null
     * @param retryAfter the {@code Retry-After} delay, or {@code null} for none
     */
    public ErrorStatus {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status must be 400..599, got " + status);
      }
      Objects.requireNonNull(serviceCode, "serviceCode");
      if (serviceCode.isBlank()) {
        throw new IllegalArgumentException("serviceCode must not be blank");
      }
      Objects.requireNonNull(message, "message");
      if (retryAfter != null && retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative");
      }
    }
  }

  /** The connection drops before the service sees the call: a retryable transport failure. */
  record ConnectionDrop() implements Fault {}

  /**
   * The service performs the call, then the connection drops before the answer arrives: the
   * caller sees a retryable transport failure although the change was made.
   */
  record ResponseLost() implements Fault {}

  /**
   * The unit is in maintenance for the call: it reports the state {@code maintenance} in unit
   * listings and its calls fail with a retryable {@code 503}. Needs a specific unit.
   */
  record Maintenance() implements Fault {}

  /**
   * The call is delayed (through the cloud's {@link io.kpdedicated.core.Sleeper}), then proceeds.
   *
   * @param delay how long, not negative
   */
  record Latency(Duration delay) implements Fault {
    /**
     * Validates the delay.
     *
     * @param delay how long, not negative
     */
    public Latency {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative");
      }
    }
  }

  /**
   * A non-JSON answer from the gateway in front of the service, such as Envoy's plain-text
   * {@code 503 no healthy upstream} or an HTML 502/504 page. The service never saw the call. In
   * memory it surfaces as the {@code HttpServiceException} the HTTP transport makes of such an
   * answer (status, and for {@code text/plain} the text as the message); over HTTP the emulator
   * writes {@code body} with {@code contentType} as it is.
   *
   * @param status the HTTP status, 400 to 599
   * @param contentType the media type, not JSON (for example {@code text/plain} or
   *     {@code text/html})
   * @param body the body, at most 4096 characters
   */
  record GatewayAnswer(int status, String contentType, String body) implements Fault {
    /** Envoy's answer when no backend is healthy: {@code 503}, {@code text/plain}. */
    public static final GatewayAnswer NO_HEALTHY_UPSTREAM =
        new GatewayAnswer(503, "text/plain", "no healthy upstream");

    /**
     * Validates the answer.
     *
     * @param status the HTTP status, 400 to 599
     * @param contentType the media type, not JSON
     * @param body the body, at most 4096 characters
     */
    public GatewayAnswer {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status must be 400..599, got " + status);
      }
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
      String type = contentType.toLowerCase(java.util.Locale.ROOT);
      if (contentType.isBlank() || type.contains("json")) {
        throw new IllegalArgumentException("a gateway answer has a non-JSON content type (such as"
            + " text/plain or text/html); for a JSON error use an error fault, got '"
            + contentType + "'");
      }
      if (body.length() > 4096 || contentType.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
        throw new IllegalArgumentException("the body must have at most 4096 characters and the"
            + " content type printable ASCII");
      }
    }

    /**
     * Returns the HTML error page a gateway gives for {@code status} (for example 502 or 504).
     *
     * @param status the HTTP status, 400 to 599
     * @return the answer
     */
    public static GatewayAnswer htmlPage(int status) {
      return new GatewayAnswer(status, "text/html", "<html><head><title>" + status
          + "</title></head><body><h1>" + status + " gateway error</h1></body></html>\n");
    }

    /**
     * {@return the message the HTTP transport makes of this answer: the text of a short
     * {@code text/plain} body, else a note that a gateway answered}
     */
    public String transportMessage() {
      if (contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/plain")
          && !body.isBlank() && body.length() <= 512) {
        return body.strip();
      }
      return "HTTP " + status + " (an HTML error page, probably from a proxy or gateway)";
    }
  }

  /**
   * A broken {@code 200} answer in place of the call, as a misbehaving proxy sends: the service
   * never sees the call. Over HTTP the loopback emulator writes the body {@code body} names; in
   * memory the call fails as the HTTP transport fails on such an answer, with a retryable
   * {@link io.kpdedicated.core.spi.TransportException} of kind
   * {@link io.kpdedicated.core.spi.FailureKind#INVALID_ANSWER}.
   *
   * @param body which broken body: one of {@link #BODIES}
   */
  record MalformedAnswer(String body) implements Fault {
    /**
     * The broken bodies on offer: {@code truncated} JSON, JSON with {@code wrong-types}, an
     * {@code html} page, an {@code empty} body and a {@code huge} one (8 MiB).
     */
    public static final java.util.List<String> BODIES =
        java.util.List.of("truncated", "wrong-types", "html", "empty", "huge");

    /**
     * Validates the body.
     *
     * @param body which broken body: one of {@link #BODIES}
     */
    public MalformedAnswer {
      Objects.requireNonNull(body, "body");
      if (!BODIES.contains(body)) {
        throw new IllegalArgumentException("a malformed answer's body must be one of " + BODIES
            + ", got '" + (body.length() > 32 ? body.substring(0, 32) + "..." : body) + "'");
      }
    }
  }
}
