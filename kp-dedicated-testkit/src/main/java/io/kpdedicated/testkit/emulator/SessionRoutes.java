package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.http.SessionProtocol;
import io.kpdedicated.http.SignedCommand;
import io.kpdedicated.testkit.CloudSessions;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.SessionInfo;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The signed-REST HSM session protocol of {@code kp-dedicated-http} ({@link SessionProtocol}) over
 * the cloud's one session registry ({@link InMemoryDedicatedCloud#sessions()}): open a session,
 * list and add users, list master keys, import a master key, close the session. The emulator
 * rebuilds each {@link SignedCommand} from the request as received (its method, raw path, the unit
 * of the path and the {@code X-KPD-*} headers) and refuses missing or unreadable signature headers
 * with {@code 401} before the unit is asked; the cloud then checks signer, body digest, timestamp
 * and nonce. Thread-safe.
 */
final class SessionRoutes {
  private static final String SESSION = "/api/v1/crypto_units/{unit}/sessions/{session}";

  private final CloudSessions sessions;
  private final AccessChecks access;

  /**
   * Creates the routes.
   *
   * @param cloud the cloud whose session registry serves the sessions
   * @param access the token, instance and unit checks
   */
  SessionRoutes(InMemoryDedicatedCloud cloud, AccessChecks access) {
    this.sessions = cloud.sessions();
    this.access = access;
  }

  /**
   * Adds the session routes to a table.
   *
   * @param table the emulator's route table
   */
  void register(RouteTable table) {
    table.add("POST", "/api/v1/crypto_units/{unit}/sessions", this::open)
        .add("DELETE", SESSION, this::close)
        .add("GET", SESSION + "/users", this::listUsers)
        .add("POST", SESSION + "/users", this::addUser)
        .add("GET", SESSION + "/master_keys", this::listMasterKeys)
        .add("POST", SESSION + "/master_keys/import", this::importMasterKey);
  }

  private Reply open(EmulatorRequest r) {
    String unitId = r.param("unit");
    String guid = access.unitCall(r, unitId);
    SignedCommand c = signed(r, unitId);
    String user = Json.requiredText(Json.objectBody(r), SessionProtocol.FIELD_USER_NAME);
    if (!user.equals("ADMIN")) {
      throw new Refusal(400, "BAD_REQUEST", "field '" + SessionProtocol.FIELD_USER_NAME
          + "' must be ADMIN: only the unit's administrator opens sessions");
    }
    SessionInfo info = sessions.open(guid, unitId, c, r.body());
    return Reply.json(201, Json.object()
        .put(SessionProtocol.FIELD_SESSION_ID, info.sessionId())
        .put(SessionProtocol.FIELD_CRYPTO_UNIT_ID, unitId)
        .put(SessionProtocol.FIELD_IMPORT_PUBLIC_KEY, RsaKeys.toPkcs1Pem(info.importKey()))
        .put(SessionProtocol.FIELD_IMPORT_KEY_ALGORITHM, SessionProtocol.WRAPPING_RSA_OAEP_256));
  }

  private Reply close(EmulatorRequest r) {
    String unitId = r.param("unit");
    String guid = access.unitCall(r, unitId);
    if (!sessions.close(guid, unitId, r.param("session"))) {
      throw notFound(r);
    }
    return Reply.empty(204);
  }

  private Reply listUsers(EmulatorRequest r) {
    String unitId = r.param("unit");
    String guid = openSession(r);
    List<CryptoUser> users = sessions.listUsers(guid, unitId, r.param("session"),
        signed(r, unitId), r.body());
    ObjectNode o = Json.object();
    ArrayNode a = o.putArray(SessionProtocol.FIELD_USERS);
    users.forEach(u -> a.add(userJson(u.name(), u.type(), u.attributes())));
    return Reply.json(200, o);
  }

  private Reply addUser(EmulatorRequest r) {
    String unitId = r.param("unit");
    String guid = openSession(r);
    SignedCommand c = signed(r, unitId);
    NewUser user = newUser(Json.objectBody(r));
    Json.requireStrongRsa(user.publicKeyPem(), SessionProtocol.FIELD_PUBLIC_KEY, unitId);
    sessions.addUser(guid, unitId, r.param("session"), user, c, r.body());
    return Reply.json(201, userJson(user.name(), user.type(), user.attributes()));
  }

  private Reply listMasterKeys(EmulatorRequest r) {
    String unitId = r.param("unit");
    String guid = openSession(r);
    List<MasterKeyInfo> keys = sessions.listMasterKeys(guid, unitId, r.param("session"),
        signed(r, unitId), r.body());
    ObjectNode o = Json.object();
    ArrayNode a = o.putArray(SessionProtocol.FIELD_MASTER_KEYS);
    keys.forEach(k -> a.add(keyJson(k)));
    return Reply.json(200, o);
  }

  private Reply importMasterKey(EmulatorRequest r) {
    String unitId = r.param("unit");
    String guid = openSession(r);
    SignedCommand c = signed(r, unitId);
    JsonNode body = Json.objectBody(r);
    String name = Json.requiredText(body, SessionProtocol.FIELD_NAME);
    JsonNode alg = body.get(SessionProtocol.FIELD_WRAPPING_ALGORITHM);
    if (alg != null && !alg.isNull()
        && !SessionProtocol.WRAPPING_RSA_OAEP_256.equals(alg.asText())) {
      throw new Refusal(400, "UNSUPPORTED_WRAPPING", "only "
          + SessionProtocol.WRAPPING_RSA_OAEP_256 + " is supported");
    }
    byte[] wrapped;
    try {
      wrapped = Base64.getDecoder().decode(
          Json.requiredText(body, SessionProtocol.FIELD_WRAPPED_KEY));
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "BAD_REQUEST", "field 'wrapped_key' is not base64");
    }
    MasterKeyInfo info = sessions.importMasterKey(guid, unitId, r.param("session"), name, wrapped,
        c, r.body());
    return Reply.json(201, keyJson(info));
  }

  /**
   * Authenticates a command on a session and returns the instance GUID, after checking that the
   * session is open on the unit of the path (before the signature is read, as the service does).
   *
   * @throws Refusal 404 {@code SESSION_NOT_FOUND} for a session that is not open there
   */
  private String openSession(EmulatorRequest r) {
    String unitId = r.param("unit");
    String guid = access.unitCall(r, unitId);
    if (!sessions.isOpen(guid, unitId, r.param("session"))) {
      throw notFound(r);
    }
    return guid;
  }

  private static Refusal notFound(EmulatorRequest r) {
    return new Refusal(404, "SESSION_NOT_FOUND", "no open session " + r.param("session")
        + " on crypto unit " + r.param("unit") + " (never opened, closed, ended by a zeroize or a"
        + " crash, or expired after being idle); open one first");
  }

  /**
   * Returns a user as the session protocol writes it.
   *
   * @param name the user name
   * @param type the user type
   * @param attributes the user's attributes
   * @return the JSON object
   */
  static ObjectNode userJson(String name, UserType type, Map<String, String> attributes) {
    ObjectNode o = Json.object().put(SessionProtocol.FIELD_NAME, name)
        .put(SessionProtocol.FIELD_TYPE, type.wireValue());
    ObjectNode a = o.putObject(SessionProtocol.FIELD_ATTRIBUTES);
    attributes.forEach(a::put);
    return o;
  }

  private static ObjectNode keyJson(MasterKeyInfo k) {
    return Json.object().put(SessionProtocol.FIELD_NAME, k.name())
        .put(SessionProtocol.FIELD_KEY_CHECK_VALUE, k.checkValue().text());
  }

  private static NewUser newUser(JsonNode body) {
    String name = Json.requiredText(body, SessionProtocol.FIELD_NAME);
    String type = Json.requiredText(body, SessionProtocol.FIELD_TYPE);
    String key = Json.requiredText(body, SessionProtocol.FIELD_PUBLIC_KEY);
    Map<String, String> attrs = new LinkedHashMap<>();
    JsonNode a = body.get(SessionProtocol.FIELD_ATTRIBUTES);
    if (a != null && !a.isNull()) {
      if (!a.isObject()) {
        throw new Refusal(400, "BAD_REQUEST", "field 'attributes' must be an object of strings");
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!e.getValue().isTextual()) {
          throw new Refusal(400, "BAD_REQUEST", "attribute '" + e.getKey() + "' must be a string");
        }
        attrs.put(e.getKey(), e.getValue().asText());
      }
    }
    try {
      return new NewUser(UserType.fromWire(type), name, key, attrs);
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "BAD_REQUEST", "the user is invalid: " + e.getMessage());
    }
  }

  /**
   * Rebuilds the signed command from the request as received: its own method and raw path, the
   * unit of the path, and the {@code X-KPD-*} headers.
   *
   * @throws Refusal 401 {@code SIGNATURE_MISSING}, {@code SIGNATURE_VERSION_UNSUPPORTED} or
   *     {@code SIGNATURE_MALFORMED} before the unit is touched (so no nonce is used up)
   */
  private static SignedCommand signed(EmulatorRequest r, String unitId) {
    String version = r.header(SessionProtocol.HEADER_SIGNATURE_VERSION);
    String ts = r.header(SessionProtocol.HEADER_TIMESTAMP);
    String nonce = r.header(SessionProtocol.HEADER_NONCE);
    String digest = r.header(SessionProtocol.HEADER_CONTENT_SHA256);
    String sig = r.header(SessionProtocol.HEADER_SIGNATURE);
    if (version == null || ts == null || nonce == null || digest == null || sig == null) {
      throw new Refusal(401, "SIGNATURE_MISSING", "the session command for crypto unit " + unitId
          + " is not signed: send " + SessionProtocol.HEADER_SIGNATURE_VERSION + ", "
          + SessionProtocol.HEADER_TIMESTAMP + ", " + SessionProtocol.HEADER_NONCE + ", "
          + SessionProtocol.HEADER_CONTENT_SHA256 + " and " + SessionProtocol.HEADER_SIGNATURE);
    }
    if (!version.trim().equals(SignedCommand.VERSION)) {
      throw new Refusal(401, "SIGNATURE_VERSION_UNSUPPORTED", "signature version '"
          + version.trim() + "' is not supported; use " + SignedCommand.VERSION);
    }
    if (!SessionProtocol.isWellFormedNonce(nonce.trim())) {
      throw new Refusal(401, "SIGNATURE_MALFORMED", "header " + SessionProtocol.HEADER_NONCE
          + " of the command for crypto unit " + unitId + " is not a nonce: "
          + SessionProtocol.NONCE_FORMAT);
    }
    if (!digest.trim().matches("[0-9a-fA-F]{64}")) {
      throw new Refusal(401, "SIGNATURE_MALFORMED", "header "
          + SessionProtocol.HEADER_CONTENT_SHA256 + " of the command for crypto unit " + unitId
          + " is not 64 hex digits (SHA-256)");
    }
    try {
      return new SignedCommand(r.method(), r.rawPath(), unitId, Long.parseLong(ts.trim()),
          nonce.trim(), digest.trim().toLowerCase(Locale.ROOT),
          Base64.getDecoder().decode(sig.trim()));
    } catch (IllegalArgumentException e) {
      throw new Refusal(401, "SIGNATURE_MALFORMED", "the signature headers of the command for"
          + " crypto unit " + unitId + " cannot be read");
    }
  }
}
