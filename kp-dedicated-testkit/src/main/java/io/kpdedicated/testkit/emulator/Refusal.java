package io.kpdedicated.testkit.emulator;

import java.util.Map;

/**
 * An error answer decided while handling a request (a bad request, a missing token, an unknown
 * route); the handler writes it in the error format of the request's API family
 * ({@link ErrorFormat}). Carries no stack trace: it is an answer, not a failure of the emulator.
 */
final class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final transient Map<String, String> headers;

  /**
   * Creates a refusal.
   *
   * @param status the HTTP status, 4xx or 5xx
   * @param code the error code the answer carries
   * @param message the reason, naming what to change
   */
  Refusal(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  /**
   * Creates a refusal with extra answer headers (such as {@code Allow} or {@code Retry-After}).
   *
   * @param status the HTTP status, 4xx or 5xx
   * @param code the error code the answer carries
   * @param message the reason, naming what to change
   * @param headers extra answer headers
   */
  Refusal(int status, String code, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  /** {@return the HTTP status} */
  int status() {
    return status;
  }

  /** {@return the error code} */
  String code() {
    return code;
  }

  /** {@return the extra answer headers} */
  Map<String, String> headers() {
    return headers;
  }
}
