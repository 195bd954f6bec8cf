package io.kpdedicated.http;

import java.util.Objects;

/**
 * Supplies the IAM bearer token sent as {@code Authorization: Bearer <token>} on every service call.
 *
 * <p>{@link IamTokenProvider} exchanges an API key for tokens and refreshes them; a fixed token
 * ({@link #of(String)}) suits short scripts and tests. Implementations must be thread-safe and must
 * never put a token into a log line, a {@code toString()} or an exception message.
 */
public interface TokenProvider {

  /**
   * Returns a token that is valid now (without the {@code Bearer } prefix).
   *
   * @return the token, never null or blank
   * @throws io.kpdedicated.core.spi.ServiceException if the token service refused (for example a
   *     wrong API key)
   * @throws io.kpdedicated.core.spi.TransportException if the token service could not be reached
   */
  String token();

  /**
   * Tells the provider that a service refused {@code rejectedToken} with {@code 401}, so the next
   * {@link #token()} fetches a new one. Callers that race with the same rejected token cause at most
   * one refresh. The default does nothing (the token cannot be replaced).
   *
   * @param rejectedToken the token that was refused; never null
   */
  default void invalidate(String rejectedToken) {}

  /**
   * Returns a provider that always supplies the same token.
   *
   * @param bearerToken the token, without {@code Bearer }
   * @return the provider; its {@code toString()} does not reveal the token
   * @throws NullPointerException if the token is null
   * @throws IllegalArgumentException if the token is blank or spans lines
   */
  static TokenProvider of(String bearerToken) {
    Objects.requireNonNull(bearerToken, "bearerToken");
    if (bearerToken.isBlank() || bearerToken.indexOf('\n') >= 0 || bearerToken.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("bearerToken must be one non-blank line");
    }
    return new TokenProvider() {
      @Override
      public String token() {
        return bearerToken;
      }

      @Override
      public String toString() {
        return "TokenProvider[fixed token, redacted]";
      }
    };
  }
}
