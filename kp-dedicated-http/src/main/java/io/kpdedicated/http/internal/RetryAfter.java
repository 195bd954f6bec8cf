package io.kpdedicated.http.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses {@code Retry-After}: delay seconds or an HTTP-date (RFC 9110 section 10.2.3). Stateless. */
public final class RetryAfter {
  /** Longest delay accepted; a larger value is capped (a broken header must not stall a run for days). */
  public static final Duration MAX = Duration.ofHours(1);

  private RetryAfter() {}

  /**
   * Parses a header value.
   *
   * @param value the header value, may be null
   * @param clock the clock an HTTP-date is measured against
   * @return the delay (zero for a date in the past, capped at {@link #MAX}), or {@code null} when
   *     absent or unreadable
   */
  public static Duration parse(String value, Clock clock) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (v.isEmpty()) {
      return null;
    }
    if (v.chars().allMatch(Character::isDigit)) {
      if (v.length() > 9) {
        return MAX;
      }
      return cap(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return d.isNegative() ? Duration.ZERO : cap(d);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration cap(Duration d) {
    return d.compareTo(MAX) > 0 ? MAX : d;
  }
}
