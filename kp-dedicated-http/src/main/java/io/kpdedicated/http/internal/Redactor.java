package io.kpdedicated.http.internal;

import java.util.regex.Pattern;

/**
 * Removes bearer tokens from text that came from a server before it goes into a message or log. A
 * server that echoes the {@code Authorization} header must not leak the token through us.
 */
public final class Redactor {
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
  private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]+");
  private static final int MAX_LENGTH = 300;

  private Redactor() {}

  /**
   * Redacts and shortens server text.
   *
   * @param text the text, may be null
   * @param secret a token that must not appear, may be null
   * @return the cleaned text (at most 300 characters), or {@code null} for null input
   */
  public static String clean(String text, String secret) {
    if (text == null) {
      return null;
    }
    String t = text;
    if (secret != null && secret.length() >= 4) {
      t = t.replace(secret, "[redacted]");
    }
    t = JWT.matcher(t).replaceAll("[redacted]");
    t = BEARER.matcher(t).replaceAll("Bearer [redacted]");
    t = t.replaceAll("[\\r\\n\\t]+", " ").strip();
    if (t.length() > MAX_LENGTH) {
      t = t.substring(0, MAX_LENGTH) + "...";
    }
    return t;
  }
}
