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
    return clean(text, secret, null);
  }

  /**
   * Redacts and shortens server text, also removing a secret held as characters (an API key that
   * must not become a {@code String}).
   *
   * @param text the text, may be null
   * @param secret a token that must not appear, may be null
   * @param secretChars another secret that must not appear, may be null; not kept
   * @return the cleaned text (at most 300 characters), or {@code null} for null input
   */
  public static String clean(String text, String secret, char[] secretChars) {
    if (text == null) {
      return null;
    }
    String t = text;
    if (secret != null && secret.length() >= 4) {
      t = t.replace(secret, "[redacted]");
    }
    if (secretChars != null && secretChars.length >= 4) {
      t = removeChars(t, secretChars);
    }
    t = JWT.matcher(t).replaceAll("[redacted]");
    t = BEARER.matcher(t).replaceAll("Bearer [redacted]");
    t = t.replaceAll("[\\r\\n\\t]+", " ").strip();
    if (t.length() > MAX_LENGTH) {
      t = t.substring(0, MAX_LENGTH) + "...";
    }
    return t;
  }

  private static String removeChars(String text, char[] secret) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (startsWith(text, i, secret)) {
        out.append("[redacted]");
        i += secret.length;
      } else {
        out.append(text.charAt(i++));
      }
    }
    return out.toString();
  }

  private static boolean startsWith(String text, int from, char[] secret) {
    if (text.length() - from < secret.length) {
      return false;
    }
    for (int k = 0; k < secret.length; k++) {
      if (text.charAt(from + k) != secret[k]) {
        return false;
      }
    }
    return true;
  }
}
