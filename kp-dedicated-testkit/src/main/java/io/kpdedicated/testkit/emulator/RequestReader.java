package io.kpdedicated.testkit.emulator;

import com.sun.net.httpserver.HttpExchange;
import io.kpdedicated.http.SessionProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request at the edge, before any route sees it: the body (at most {@link #MAX_BODY}
 * bytes, refused from its declared length before reading), the path and query with strict
 * percent-decoding, forms, and the security headers that must come once. Everything the emulator
 * cannot use is a {@link Refusal} (400 or 413) naming what is wrong. Stateless.
 */
final class RequestReader {
  /** The largest request body the emulator reads. */
  static final int MAX_BODY = 256 * 1024;
  /**
   * Headers that authenticate or route a call: sent twice they could be read two ways, so a
   * request carrying one of them more than once is refused.
   */
  static final List<String> SINGLE_HEADERS = List.of("Authorization",
      SessionProtocol.HEADER_CRYPTO_UNIT_ID, "Instance-ID", "Bluemix-Instance",
      SessionProtocol.HEADER_SIGNATURE_VERSION, SessionProtocol.HEADER_TIMESTAMP,
      SessionProtocol.HEADER_NONCE, SessionProtocol.HEADER_CONTENT_SHA256,
      SessionProtocol.HEADER_SIGNATURE, "Content-Type", "Content-Length");

  private RequestReader() {}

  /**
   * Reads the request line and body of an exchange, and tells the {@link RequestGuard} the
   * request is read.
   *
   * @param ex the exchange
   * @return the request, without path parameters
   * @throws Refusal for a body too large, an unreadable length, a bad path or escape
   * @throws EmulatorHandler.DropConnection if the guard already closed the connection (the client
   *     was too slow)
   * @throws IOException if the connection fails while reading
   */
  static EmulatorRequest read(HttpExchange ex) throws IOException {
    byte[] body = body(ex);
    if (!RequestGuard.requestRead()) {
      throw new EmulatorHandler.DropConnection();
    }
    String rawPath = ex.getRequestURI().getRawPath();
    if (rawPath == null || !rawPath.startsWith("/")) {
      throw new Refusal(400, "BAD_REQUEST", "the request target must be a path starting with '/'");
    }
    return new EmulatorRequest(ex.getRequestMethod().toUpperCase(Locale.ROOT), rawPath,
        segments(rawPath), form(ex.getRequestURI().getRawQuery(), "the query string", false), ex,
        body, Map.of());
  }

  /**
   * Refuses a request that carries a security header more than once.
   *
   * @param ex the exchange
   * @throws Refusal 400 {@code DUPLICATE_HEADER} naming the header
   */
  static void requireSingleHeaders(HttpExchange ex) {
    for (String h : SINGLE_HEADERS) {
      List<String> values = ex.getRequestHeaders().get(h);
      if (values != null && values.size() > 1) {
        throw new Refusal(400, "DUPLICATE_HEADER", "header " + h + " is sent " + values.size()
            + " times; send it once");
      }
    }
  }

  private static byte[] body(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw new Refusal(400, "BAD_REQUEST", "header Content-Length is not a number");
      }
      if (declared > MAX_BODY) {
        throw tooLarge();
      }
    }
    InputStream in = ex.getRequestBody();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      if (out.size() + n > MAX_BODY) {
        throw tooLarge();
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static Refusal tooLarge() {
    return new Refusal(413, "REQUEST_TOO_LARGE", "the request body is larger than " + MAX_BODY
        + " bytes");
  }

  /**
   * Splits and decodes a raw path; {@code +} stays a plus sign in a path.
   *
   * @param rawPath the path as sent
   * @return the non-empty decoded segments
   * @throws Refusal 400 for a bad percent-escape
   */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(decode(s.replace("+", "%2B"), "the path"));
      }
    }
    return out;
  }

  /**
   * Parses {@code a=1&b=2} (a query string or a form). With {@code unique}, a name given twice is
   * refused; otherwise the first value counts.
   *
   * @param raw the raw text, or null
   * @param where what the text is, for messages ({@code the form}, {@code the query string})
   * @param unique whether a name may come only once
   * @return the decoded names and values, in order
   * @throws Refusal 400 for a bad escape, or a repeated name when {@code unique}
   */
  static Map<String, String> form(String raw, String where, boolean unique) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq), where);
      String v = decode(eq < 0 ? "" : pair.substring(eq + 1), where);
      if (q.putIfAbsent(k, v) != null && unique) {
        throw new Refusal(400, "BAD_REQUEST", where + " names '" + k + "' more than once");
      }
    }
    return q;
  }

  /** Percent-decodes; bad escapes are the client's error (400), not the emulator's. */
  private static String decode(String s, String where) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "BAD_REQUEST", where + " has a bad percent-escape (use %XX with two"
          + " hex digits)");
    }
  }
}
