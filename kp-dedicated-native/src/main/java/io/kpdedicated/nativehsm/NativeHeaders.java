package io.kpdedicated.nativehsm;

import io.kpdedicated.nativehsm.internal.NativeStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The headers argument of {@code AddUserC}, {@code GenerateMBKC} and {@code ImportMBKC}:
 * {@code K=V} pairs joined by {@code %}, in the order added. Keys are header names; values must
 * not contain {@code %}, a NUL or a line break (the format cannot carry them). The value of
 * {@code Authorization} is a secret: {@link #toString()} hides it. Immutable and thread-safe.
 */
public final class NativeHeaders {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final int MAX_VALUE = 8192;
  private static final NativeHeaders NONE = new NativeHeaders(List.of());

  private final List<String[]> pairs;

  private NativeHeaders(List<String[]> pairs) {
    this.pairs = pairs;
  }

  /** {@return the empty header set, passed to the library as C {@code NULL}} */
  public static NativeHeaders none() {
    return NONE;
  }

  /**
   * Returns the request headers IBM's client sends with each HSM command: {@code Authorization},
   * {@code Bluemix-Instance}, {@code Instance-ID}, {@code X-Request-ID}, {@code X-Correlation-ID}
   * and {@code Correlation-Id}.
   *
   * @param accessToken the IAM access token, without {@code Bearer }
   * @param instanceGuid the instance GUID
   * @param requestId a fresh request id (UUID)
   * @param correlationId the correlation id (UUID)
   * @return the headers
   */
  public static NativeHeaders forCommand(String accessToken, String instanceGuid,
      String requestId, String correlationId) {
    return builder()
        .add("Authorization", "Bearer " + Objects.requireNonNull(accessToken, "accessToken"))
        .add("Bluemix-Instance", instanceGuid)
        .add("Instance-ID", instanceGuid)
        .add("X-Request-ID", requestId)
        .add("X-Correlation-ID", correlationId)
        .add("Correlation-Id", correlationId)
        .build();
  }

  /**
   * Starts a builder.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return whether there is no header} */
  public boolean isEmpty() {
    return pairs.isEmpty();
  }

  /**
   * Returns the argument as a NUL-terminated UTF-8 buffer, or null when empty (C {@code NULL}).
   * The caller wipes the buffer after the call.
   *
   * @return the buffer, or null
   */
  public byte[] encode() {
    if (pairs.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String[] p : pairs) {
      if (sb.length() > 0) {
        sb.append('%');
      }
      sb.append(p[0]).append('=').append(p[1]);
    }
    char[] chars = new char[sb.length()];
    sb.getChars(0, sb.length(), chars, 0);
    try {
      return NativeStrings.cString(chars, "headers");
    } finally {
      java.util.Arrays.fill(chars, '\0');
      sb.setLength(0);
    }
  }

  /**
   * Returns these headers with the value of {@code Authorization}, where present, replaced by
   * {@code Bearer <accessToken>} (used by sessions that refresh their token, so the headers
   * argument always carries the token the session holds).
   *
   * @param accessToken the access token, without {@code Bearer }
   * @return the headers, this instance when there is no {@code Authorization} header
   */
  NativeHeaders withBearer(String accessToken) {
    List<String[]> out = new ArrayList<>(pairs.size());
    boolean replaced = false;
    for (String[] p : pairs) {
      if (p[0].equalsIgnoreCase("Authorization")) {
        out.add(new String[] {p[0], "Bearer " + accessToken});
        replaced = true;
      } else {
        out.add(p);
      }
    }
    return replaced ? new NativeHeaders(List.copyOf(out)) : this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("NativeHeaders[");
    for (String[] p : pairs) {
      sb.append(sb.length() > 14 ? ", " : "").append(p[0]).append('=')
          .append(p[0].equalsIgnoreCase("Authorization") ? "***" : p[1]);
    }
    return sb.append(']').toString();
  }

  /** Builds {@link NativeHeaders}. Not thread-safe. */
  public static final class Builder {
    private final List<String[]> pairs = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a header.
     *
     * @param name the header name: letters, digits, {@code -} and {@code _}
     * @param value the value: no {@code %}, NUL or line break, at most 8192 characters
     * @return this builder
     * @throws IllegalArgumentException if the name or value cannot be carried (the message names
     *     the header, never the value)
     */
    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("header name '" + name + "' is not a plain header "
            + "name (letters, digits, '-', '_')");
      }
      if (value.length() > MAX_VALUE || value.indexOf('%') >= 0 || value.indexOf('\0') >= 0
          || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("the value of header " + name + " contains '%', a NUL "
            + "or a line break, or is longer than " + MAX_VALUE + " characters; the library's "
            + "headers format cannot carry it");
      }
      pairs.add(new String[] {name, value});
      return this;
    }

    /**
     * Builds the headers.
     *
     * @return the headers
     */
    public NativeHeaders build() {
      return pairs.isEmpty() ? NONE : new NativeHeaders(List.copyOf(pairs));
    }
  }
}
