package io.kpdedicated.testkit.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Map;

/**
 * One request as the emulator read it: method, raw and decoded path, query, body, and the path
 * parameters its route bound (such as {@code unit} in {@code /api/v1/crypto_units/{unit}/zeroize}).
 *
 * @param method the method, upper case
 * @param rawPath the path as sent (percent-escapes kept), which session signatures cover
 * @param segments the decoded path segments
 * @param query the decoded query (first value of each name)
 * @param exchange the exchange, for headers
 * @param body the body, at most {@link RequestReader#MAX_BODY} bytes
 * @param params the path parameters of the route, empty before routing
 */
record EmulatorRequest(String method, String rawPath, List<String> segments,
    Map<String, String> query, HttpExchange exchange, byte[] body, Map<String, String> params) {
  /**
   * Copies the collections.
   *
   * @param method the method, upper case
   * @param rawPath the path as sent
   * @param segments the decoded path segments
   * @param query the decoded query
   * @param exchange the exchange, for headers
   * @param body the body
   * @param params the path parameters of the route
   */
  EmulatorRequest {
    segments = List.copyOf(segments);
    query = Map.copyOf(query);
    params = Map.copyOf(params);
  }

  /**
   * Returns the first value of a request header.
   *
   * @param name the header name (any case)
   * @return the value, or null when the header was not sent
   */
  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  /**
   * Returns a path parameter the route bound.
   *
   * @param name the parameter's name in the route pattern, without braces
   * @return the decoded segment
   * @throws IllegalStateException if the route binds no such parameter
   */
  String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException("the route binds no path parameter '" + name + "'");
    }
    return v;
  }

  /**
   * Returns this request with the path parameters of its route.
   *
   * @param bound the parameters
   * @return the request
   */
  EmulatorRequest withParams(Map<String, String> bound) {
    return new EmulatorRequest(method, rawPath, segments, query, exchange, body, bound);
  }
}
