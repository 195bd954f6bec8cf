package io.kpdedicated.http.internal;

import io.kpdedicated.http.SignedCommand;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.http.SessionProtocol;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Produces the {@code X-KPD-*} headers of a signed session command. Stateless. */
public final class Signing {
  private Signing() {}

  /**
   * Signs a request and returns its signature headers.
   *
   * @param signer the unit's administrator
   * @param method the HTTP method
   * @param rawPath the request's raw path, exactly as sent
   * @param unitId the unit
   * @param body the exact body bytes (empty for none)
   * @param clock the signing time source
   * @param random the nonce source
   * @return the headers, in a stable order
   */
  public static Map<String, String> headers(AdminSigner signer, String method, String rawPath,
      String unitId, byte[] body, Clock clock, SecureRandom random) {
    SignedCommand c = SignedCommand.sign(signer, method, rawPath, unitId, body, clock.instant(), random);
    if (!SessionProtocol.isWellFormedNonce(c.nonce())) {
      throw new IllegalStateException("the signer made a nonce outside the protocol's format ("
          + SessionProtocol.NONCE_FORMAT + ")");
    }
    Map<String, String> h = new LinkedHashMap<>();
    h.put(SessionProtocol.HEADER_SIGNATURE_VERSION, SignedCommand.VERSION);
    h.put(SessionProtocol.HEADER_TIMESTAMP, Long.toString(c.timestampMillis()));
    h.put(SessionProtocol.HEADER_NONCE, c.nonce());
    h.put(SessionProtocol.HEADER_CONTENT_SHA256, c.bodySha256Hex());
    h.put(SessionProtocol.HEADER_SIGNATURE, Base64.getEncoder().encodeToString(c.signature()));
    return h;
  }
}
