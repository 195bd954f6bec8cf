package io.kpdedicated.nativehsm;

import io.kpdedicated.http.TokenProvider;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Keeps the IAM token of every {@link NativeSession} opened through it fresh. IBM's client hands
 * the library one token when the session opens and never replaces it; a session opened with
 * {@link NativeHsm#openSession(SessionParameters, SessionTokenRefresher)} instead checks, before
 * each of its library calls, whether a newer token is due and, if so, hands it over with
 * {@code SetTokenGetterC} first. The {@code Authorization} entry of a call's headers argument is
 * rewritten to the same token. No thread runs in the background: the check happens on use.
 *
 * <p>Two sources of tokens:
 *
 * <ul>
 *   <li>{@link #of(Supplier, Clock, Duration)}: tokens with a known expiry; a new one is fetched
 *       when the current one is within {@code margin} of expiring (measured on the injected clock).
 *       If that fetch fails while the current token is still valid, the current token is used and
 *       the fetch is tried again on the next call; once it has expired, the failure is thrown.
 *   <li>{@link #of(TokenProvider)}: a provider that caches and renews tokens itself (such as
 *       {@code IamTokenProvider}, which renews after 80% of a token's lifetime); it is asked on
 *       every use and a session gets the token as soon as the provider hands out a new one.
 * </ul>
 *
 * <p>Thread-safe: many sessions may share one refresher; one fetch serves all of them. Tokens never
 * appear in {@code toString()}, logs or messages.
 */
public final class SessionTokenRefresher {
  /** The default margin: a token is replaced when it has less than five minutes left. */
  public static final Duration DEFAULT_MARGIN = Duration.ofMinutes(5);

  private static final Logger LOG = System.getLogger(SessionTokenRefresher.class.getName());

  /**
   * An IAM access token and when it expires.
   *
   * @param accessToken the bare access token (no {@code Bearer } prefix, no whitespace)
   * @param expiresAt when it stops being accepted
   */
  public record ExpiringToken(String accessToken, Instant expiresAt) {
    /**
     * Validates the fields.
     *
     * @param accessToken the bare access token (no {@code Bearer } prefix, no whitespace)
     * @param expiresAt when it stops being accepted
     */
    public ExpiringToken {
      NativeHsm.requireToken(accessToken);
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
      return "ExpiringToken[accessToken=***, expiresAt=" + expiresAt + "]";
    }
  }

  private final Supplier<ExpiringToken> expiring;
  private final TokenProvider provider;
  private final Clock clock;
  private final Duration margin;
  private final ReentrantLock lock = new ReentrantLock();
  private ExpiringToken current;

  private SessionTokenRefresher(Supplier<ExpiringToken> expiring, TokenProvider provider,
      Clock clock, Duration margin) {
    this.expiring = expiring;
    this.provider = provider;
    this.clock = clock;
    this.margin = margin;
  }

  /**
   * Refreshes from a source of tokens with a known expiry.
   *
   * @param source fetches a new token (e.g. from IAM); called only when one is due
   * @param clock the clock expiry is measured against
   * @param margin how long before expiry a token is replaced, e.g. {@link #DEFAULT_MARGIN}
   * @return the refresher
   * @throws IllegalArgumentException if the margin is negative
   */
  public static SessionTokenRefresher of(Supplier<ExpiringToken> source, Clock clock,
      Duration margin) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(margin, "margin");
    if (margin.isNegative()) {
      throw new IllegalArgumentException("margin must not be negative, got " + margin);
    }
    return new SessionTokenRefresher(source, null, clock, margin);
  }

  /**
   * Refreshes from a token provider that renews its tokens itself before they expire (such as
   * {@code IamTokenProvider}).
   *
   * @param provider the provider, asked on every use of a session
   * @return the refresher
   */
  public static SessionTokenRefresher of(TokenProvider provider) {
    Objects.requireNonNull(provider, "provider");
    return new SessionTokenRefresher(null, provider, null, null);
  }

  /**
   * Returns the token sessions should hold now, fetching a new one if it is due.
   *
   * @return the bare access token
   * @throws RuntimeException what the source throws, when no valid token is left
   * @throws IllegalArgumentException if the source hands out something that is not a bare token
   */
  public String accessToken() {
    if (provider != null) {
      String t = provider.token();
      NativeHsm.requireToken(t);
      return t;
    }
    lock.lock();
    try {
      Instant now = clock.instant();
      ExpiringToken c = current;
      if (c != null && now.isBefore(c.expiresAt().minus(margin))) {
        return c.accessToken();
      }
      ExpiringToken fresh;
      try {
        fresh = Objects.requireNonNull(expiring.get(), "the token source returned null");
      } catch (RuntimeException e) {
        if (c != null && now.isBefore(c.expiresAt())) {
          LOG.log(Level.WARNING, "fetching a new IAM token for the HSM sessions failed ({0}); "
              + "the current one stays in use until {1}", e.getClass().getSimpleName(),
              c.expiresAt());
          return c.accessToken();
        }
        throw e;
      }
      current = fresh;
      return fresh.accessToken();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return provider != null ? "SessionTokenRefresher[provider]"
        : "SessionTokenRefresher[margin=" + margin + "]";
  }
}
