package io.kpdedicated.testkit.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The emulator's routes: method and path pattern to handler. A pattern is a path whose segments
 * are literals or parameters in braces ({@code /api/v1/crypto_units/{unit}/zeroize}); a parameter
 * matches any one decoded segment and is bound in {@link EmulatorRequest#params()}. A path no
 * pattern matches is {@code 404 NOT_FOUND}; a path some pattern matches with another method is
 * {@code 405 METHOD_NOT_ALLOWED} with an {@code Allow} header. Both are {@link Refusal}s, so they
 * come in the error format of the path's API family. Built once, then read-only and thread-safe.
 */
final class RouteTable {
  /** Serves one route. */
  @FunctionalInterface
  interface Handler {
    /**
     * Serves a request whose method and path matched.
     *
     * @param request the request, with the route's path parameters bound
     * @return the answer
     */
    Reply handle(EmulatorRequest request);
  }

  /** One route: a method, the pattern's segments and the handler. */
  private record Route(String method, List<String> pattern, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();

  /**
   * Adds a route.
   *
   * @param method the HTTP method, upper case
   * @param pattern the path pattern, starting with {@code /}
   * @param handler the handler
   * @return this table
   * @throws IllegalArgumentException if that method and pattern are taken
   */
  RouteTable add(String method, String pattern, Handler handler) {
    Objects.requireNonNull(handler, "handler");
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
    }
    List<String> segments = new ArrayList<>();
    for (String s : pattern.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    for (Route r : routes) {
      if (r.method().equals(method) && r.pattern().equals(segments)) {
        throw new IllegalArgumentException("route " + method + " " + pattern + " is added twice");
      }
    }
    routes.add(new Route(method, List.copyOf(segments), handler));
    return this;
  }

  /**
   * Serves a request with the route whose method and pattern match; when several patterns match,
   * the one with the most literal segments wins (then the first added).
   *
   * @param request the request
   * @return the handler's answer
   * @throws Refusal 404 when no pattern matches the path, 405 when none for this method
   */
  Reply dispatch(EmulatorRequest request) {
    TreeSet<String> allowed = new TreeSet<>();
    Route best = null;
    Map<String, String> bestBound = null;
    for (Route r : routes) {
      Map<String, String> bound = match(r.pattern(), request.segments());
      if (bound == null) {
        continue;
      }
      allowed.add(r.method());
      if (r.method().equals(request.method())
          && (best == null || literals(r) > literals(best))) {
        best = r;
        bestBound = bound;
      }
    }
    if (best != null) {
      return best.handler().handle(request.withParams(bestBound));
    }
    if (allowed.isEmpty()) {
      throw new Refusal(404, "NOT_FOUND", "the emulator serves no " + request.method() + " "
          + request.rawPath());
    }
    throw new Refusal(405, "METHOD_NOT_ALLOWED", "method " + request.method() + " is not allowed"
        + " on " + request.rawPath() + "; use " + String.join(", ", allowed),
        Map.of("Allow", String.join(", ", allowed)));
  }

  private static long literals(Route r) {
    return r.pattern().stream().filter(p -> !p.startsWith("{")).count();
  }

  /** Returns the bound parameters when the segments fit the pattern, else null. */
  private static Map<String, String> match(List<String> pattern, List<String> segments) {
    if (pattern.size() != segments.size()) {
      return null;
    }
    Map<String, String> bound = new LinkedHashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      if (p.startsWith("{") && p.endsWith("}")) {
        bound.put(p.substring(1, p.length() - 1), segments.get(i));
      } else if (!p.equals(segments.get(i))) {
        return null;
      }
    }
    return bound;
  }

  /** {@return every route as {@code METHOD /pattern}, in the order added} */
  List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Route r : routes) {
      out.add(r.method() + " /" + String.join("/", r.pattern()));
    }
    return out;
  }
}
