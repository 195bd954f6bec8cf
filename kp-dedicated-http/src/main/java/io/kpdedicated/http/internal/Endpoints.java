package io.kpdedicated.http.internal;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Endpoint rules: {@code https} everywhere, plain {@code http} only to a loopback address (the
 * emulator). Decided from the URI alone, without name resolution, so a refused URI never causes a
 * network packet.
 */
public final class Endpoints {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

  private Endpoints() {}

  /** Returns whether {@code host} names the loopback interface: {@code localhost}, 127.0.0.0/8 or ::1. */
  public static boolean isLoopbackHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
        || IPV4_LOOPBACK.matcher(h).matches();
  }

  /**
   * Returns why {@code uri} may not be used, or {@code null} when it may.
   *
   * @param uri the endpoint
   * @return the reason, naming the rule, or {@code null}
   */
  public static String violation(URI uri) {
    if (uri == null) {
      return "the endpoint is missing";
    }
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return "the endpoint " + uri + " is not an absolute http(s) URL with a host";
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return null;
    }
    if (scheme.equals("http")) {
      return isLoopbackHost(uri.getHost())
          ? null
          : "plain http is refused for " + uri.getHost() + ": use https (http is allowed only to a"
              + " loopback address such as 127.0.0.1)";
    }
    return "the endpoint " + uri + " must use https";
  }

  /**
   * Checks an endpoint for a builder.
   *
   * @param uri the endpoint
   * @param what its name in messages, e.g. {@code iamEndpoint}
   * @return {@code uri} without a trailing slash
   * @throws IllegalArgumentException if the endpoint breaks a rule
   */
  public static URI requireAllowed(URI uri, String what) {
    String v = violation(uri);
    if (v != null) {
      throw new IllegalArgumentException(what + ": " + v);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(what + ": the endpoint must not have a query or fragment: " + uri);
    }
    return stripTrailingSlash(uri);
  }

  /** Returns {@code uri} without trailing slashes on its path. */
  public static URI stripTrailingSlash(URI uri) {
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  /**
   * Resolves a path below a base endpoint (the base may carry a path prefix).
   *
   * @param base the endpoint, without trailing slash
   * @param rawPathAndQuery the path starting with {@code /}, already percent-encoded
   * @return the absolute URI
   */
  public static URI resolve(URI base, String rawPathAndQuery) {
    return URI.create(stripTrailingSlash(base) + rawPathAndQuery);
  }
}
