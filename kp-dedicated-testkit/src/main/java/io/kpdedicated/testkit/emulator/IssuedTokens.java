package io.kpdedicated.testkit.emulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The bearer tokens the emulator's IAM endpoint issued, with their expiry. Thread-safe. */
final class IssuedTokens {
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong issued = new AtomicLong();
  private final Clock clock;
  private final Duration lifetime;

  IssuedTokens(Clock clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** A newly issued token and when it expires. */
  record Issued(String token, Instant expiresAt, long lifetimeSeconds) {}

  /** Issues a JWT-shaped opaque token. */
  Issued issue() {
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    byte[] sig = new byte[32];
    random.nextBytes(sig);
    String token = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(("{\"iss\":\"kpd-emulator\",\"iat\":" + now.getEpochSecond()
            + ",\"exp\":" + expires.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8))
        + "." + b64.encodeToString(sig);
    tokens.put(token, expires);
    issued.incrementAndGet();
    return new Issued(token, expires, lifetime.toSeconds());
  }

  /** Returns whether {@code token} was issued here and has not expired or been revoked. */
  boolean valid(String token) {
    if (token == null) {
      return false;
    }
    Instant expires = tokens.get(token);
    if (expires == null) {
      return false;
    }
    if (!clock.instant().isBefore(expires)) {
      tokens.remove(token);
      return false;
    }
    return true;
  }

  /** Revokes every token; the next call with one of them gets 401. */
  void revokeAll() {
    tokens.clear();
  }

  /** Returns how many tokens were issued. */
  long issuedCount() {
    return issued.get();
  }
}
