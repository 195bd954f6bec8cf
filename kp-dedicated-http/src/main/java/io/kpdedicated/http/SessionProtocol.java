package io.kpdedicated.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The names of the signed-REST HSM session protocol, shared by {@link HttpTransport} and the
 * loopback emulator so both sides use the same paths, headers and fields. The protocol is
 * described in full in the module's {@code README.md}; in short:
 *
 * <pre>
 * POST   /api/v1/crypto_units/{unit}/sessions                           open   -&gt; 201 {session_id, crypto_unit_id, import_public_key, import_key_algorithm}
 * GET    /api/v1/crypto_units/{unit}/sessions/{session}/users           list   -&gt; 200 {users:[{name,type,attributes}]}
 * POST   /api/v1/crypto_units/{unit}/sessions/{session}/users           add    -&gt; 201 {name,type,attributes}
 * GET    /api/v1/crypto_units/{unit}/sessions/{session}/master_keys     list   -&gt; 200 {master_keys:[{name,key_check_value}]}
 * POST   /api/v1/crypto_units/{unit}/sessions/{session}/master_keys/import     -&gt; 201 {name,key_check_value}
 * DELETE /api/v1/crypto_units/{unit}/sessions/{session}                 close  -&gt; 204
 * </pre>
 *
 * Every session request carries the instance headers ({@code Authorization}, {@code
 * Bluemix-Instance}, {@code Instance-ID}, {@code X-Request-ID}, {@code X-Correlation-ID}), {@code
 * Crypto-Unit-ID}, and the admin signature of {@link io.kpdedicated.http.SignedCommand} in the
 * {@code X-KPD-*} headers below, computed over the request's method, raw path, unit id, timestamp,
 * nonce and body digest. Stateless.
 */
public final class SessionProtocol {
  private SessionProtocol() {}

  /** Header: signing time, epoch milliseconds, decimal. */
  public static final String HEADER_TIMESTAMP = "X-KPD-Timestamp";
  /** Header: single-use nonce (16 random bytes, base64url without padding); see {@link #isWellFormedNonce}. */
  public static final String HEADER_NONCE = "X-KPD-Nonce";
  /** The fewest characters a nonce may have. */
  public static final int NONCE_MIN_LENGTH = 16;
  /** The most characters a nonce may have. */
  public static final int NONCE_MAX_LENGTH = 64;
  /** The nonce format in words, for error messages. */
  public static final String NONCE_FORMAT = NONCE_MIN_LENGTH + " to " + NONCE_MAX_LENGTH
      + " characters of base64url without padding (A-Z a-z 0-9 - _) or hex";
  /** Header: lower-case hex SHA-256 of the exact body bytes (of the empty body for GET/DELETE). */
  public static final String HEADER_CONTENT_SHA256 = "X-KPD-Content-SHA256";
  /** Header: the SHA256withRSA signature over the signature base, standard base64. */
  public static final String HEADER_SIGNATURE = "X-KPD-Signature";
  /** Header: the signature scheme, always {@code KPD-SIG-1}. */
  public static final String HEADER_SIGNATURE_VERSION = "X-KPD-Signature-Version";
  /** Header naming the crypto unit (also used by the claim and zeroize calls). */
  public static final String HEADER_CRYPTO_UNIT_ID = "Crypto-Unit-ID";

  /** The only key-wrapping algorithm of the import call: RSA-OAEP with SHA-256 and MGF1-SHA-256. */
  public static final String WRAPPING_RSA_OAEP_256 = "RSA-OAEP-256";

  /** Field of the open answer: the session id. */
  public static final String FIELD_SESSION_ID = "session_id";
  /** Field of the open answer: the unit id. */
  public static final String FIELD_CRYPTO_UNIT_ID = "crypto_unit_id";
  /** Field of the open answer: the unit's RSA import public key (PEM). */
  public static final String FIELD_IMPORT_PUBLIC_KEY = "import_public_key";
  /** Field of the open answer: the wrapping algorithm the import key expects. */
  public static final String FIELD_IMPORT_KEY_ALGORITHM = "import_key_algorithm";
  /** Field of the open request: the user that logs in (always {@code ADMIN}). */
  public static final String FIELD_USER_NAME = "user_name";
  /** Field of a user: its name. */
  public static final String FIELD_NAME = "name";
  /** Field of a user: its type ({@code admin}, {@code kmsCryptoUser}). */
  public static final String FIELD_TYPE = "type";
  /** Field of a new user: its RSA public key (PEM). */
  public static final String FIELD_PUBLIC_KEY = "public_key";
  /** Field of a user: its attributes, a JSON object of strings. */
  public static final String FIELD_ATTRIBUTES = "attributes";
  /** Field of the list-users answer. */
  public static final String FIELD_USERS = "users";
  /** Field of the list-master-keys answer. */
  public static final String FIELD_MASTER_KEYS = "master_keys";
  /** Field of a master key: its key check value (hex). */
  public static final String FIELD_KEY_CHECK_VALUE = "key_check_value";
  /** Field of the import request: the wrapped key, standard base64. */
  public static final String FIELD_WRAPPED_KEY = "wrapped_key";
  /** Field of the import request: the wrapping algorithm. */
  public static final String FIELD_WRAPPING_ALGORITHM = "wrapping_algorithm";

  /**
   * Returns whether a nonce has the protocol's format: {@value #NONCE_MIN_LENGTH} to
   * {@value #NONCE_MAX_LENGTH} characters, each a base64url letter ({@code A-Z a-z 0-9 - _}, which
   * covers hex). The SDK sends 16 random bytes as 22 base64url characters; verifiers refuse any
   * other shape before looking the nonce up.
   *
   * @param nonce the nonce, may be null
   * @return true if well formed
   */
  public static boolean isWellFormedNonce(String nonce) {
    if (nonce == null || nonce.length() < NONCE_MIN_LENGTH || nonce.length() > NONCE_MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < nonce.length(); i++) {
      char c = nonce.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@return {@code /api/v1/crypto_units/{unit}/sessions}}
   *
   * @param unitId the crypto unit id (one path segment)
   */
  public static String sessionsPath(String unitId) {
    return "/api/v1/crypto_units/" + segment(unitId) + "/sessions";
  }

  /**
   * {@return {@code /api/v1/crypto_units/{unit}/sessions/{session}}}
   *
   * @param unitId the crypto unit id (one path segment)
   * @param sessionId the session id (one path segment)
   */
  public static String sessionPath(String unitId, String sessionId) {
    return sessionsPath(unitId) + "/" + segment(sessionId);
  }

  /**
   * {@return {@code .../sessions/{session}/users}}
   *
   * @param unitId the crypto unit id (one path segment)
   * @param sessionId the session id (one path segment)
   */
  public static String usersPath(String unitId, String sessionId) {
    return sessionPath(unitId, sessionId) + "/users";
  }

  /**
   * {@return {@code .../sessions/{session}/master_keys}}
   *
   * @param unitId the crypto unit id (one path segment)
   * @param sessionId the session id (one path segment)
   */
  public static String masterKeysPath(String unitId, String sessionId) {
    return sessionPath(unitId, sessionId) + "/master_keys";
  }

  /**
   * {@return {@code .../sessions/{session}/master_keys/import}}
   *
   * @param unitId the crypto unit id (one path segment)
   * @param sessionId the session id (one path segment)
   */
  public static String importPath(String unitId, String sessionId) {
    return masterKeysPath(unitId, sessionId) + "/import";
  }

  /**
   * {@return {@code /api/v1/crypto_units/{unit}/zeroize}}
   *
   * @param unitId the crypto unit id (one path segment)
   */
  public static String zeroizePath(String unitId) {
    return "/api/v1/crypto_units/" + segment(unitId) + "/zeroize";
  }

  /**
   * Percent-encodes one path segment.
   *
   * @param value the raw value
   * @return the encoded segment ({@code %20} for blanks)
   */
  public static String segment(String value) {
    Objects.requireNonNull(value, "value");
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
