package io.kpdedicated.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.http.SessionProtocol;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HSM session over the signed-REST protocol. Every command is signed by the administrator; the
 * master key travels only wrapped (RSA-OAEP-256) to the unit's import key. Used by one thread at a
 * time; {@link #close()} is idempotent and never throws.
 */
final class HttpHsmSession implements PortableHsmBackend.PortableSession {
  private static final System.Logger LOG = System.getLogger("io.kpdedicated.http");

  private final CryptoUnitClient client;
  private final InstanceTarget target;
  private final String unitId;
  private final String sessionId;
  private final RSAPublicKey importKey;
  private final AdminSigner admin;
  private volatile boolean closed;

  HttpHsmSession(CryptoUnitClient client, InstanceTarget target, String unitId, String sessionId,
      RSAPublicKey importKey, AdminSigner admin) {
    this.client = client;
    this.target = target;
    this.unitId = unitId;
    this.sessionId = sessionId;
    this.importKey = importKey;
    this.admin = admin;
  }

  @Override
  public String unitId() {
    return unitId;
  }

  private HttpCaller.Result send(Operation op, String method, String path, byte[] body) {
    if (closed) {
      throw new IllegalStateException("the session on crypto unit " + unitId + " is closed");
    }
    HttpCaller.Call c = client.call(op, method, target, path).unit(unitId);
    if (body != null) {
      c.json(body);
    }
    return client.caller().execute(client.signed(c, admin, unitId));
  }

  @Override
  public List<CryptoUser> listUsers() {
    HttpCaller.Result r = send(Operation.LIST_USERS, "GET",
        SessionProtocol.usersPath(unitId, sessionId), null);
    Wire wire = new Wire(Operation.LIST_USERS, unitId);
    JsonNode root = wire.requireObject(wire.parse(r.body(), r.contentType()), "the user list");
    JsonNode users = wire.array(root, SessionProtocol.FIELD_USERS);
    List<CryptoUser> out = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      JsonNode u = wire.requireObject(users.get(i), "user " + i);
      out.add(new CryptoUser(wire.text(u, SessionProtocol.FIELD_NAME),
          UserType.fromWire(wire.optText(u, SessionProtocol.FIELD_TYPE)),
          attributes(wire, u)));
    }
    return Collections.unmodifiableList(out);
  }

  private static Map<String, String> attributes(Wire wire, JsonNode user) {
    JsonNode a = wire.optObject(user, SessionProtocol.FIELD_ATTRIBUTES);
    Map<String, String> m = new LinkedHashMap<>();
    if (a == null) {
      return m;
    }
    for (Map.Entry<String, JsonNode> e : a.properties()) {
      m.put(e.getKey(), wire.text(a, e.getKey()));
    }
    return m;
  }

  @Override
  public void addUser(NewUser user) {
    Objects.requireNonNull(user, "user");
    ObjectNode body = Wire.object()
        .put(SessionProtocol.FIELD_NAME, user.name())
        .put(SessionProtocol.FIELD_TYPE, user.type().wireValue())
        .put(SessionProtocol.FIELD_PUBLIC_KEY, user.publicKeyPem());
    ObjectNode attrs = body.putObject(SessionProtocol.FIELD_ATTRIBUTES);
    user.attributes().forEach(attrs::put);
    send(Operation.ADD_USER, "POST", SessionProtocol.usersPath(unitId, sessionId), Wire.bytes(body));
  }

  @Override
  public List<MasterKeyInfo> listMasterKeys() {
    HttpCaller.Result r = send(Operation.LIST_MASTER_KEYS, "GET",
        SessionProtocol.masterKeysPath(unitId, sessionId), null);
    Wire wire = new Wire(Operation.LIST_MASTER_KEYS, unitId);
    JsonNode root = wire.requireObject(wire.parse(r.body(), r.contentType()), "the master key list");
    JsonNode keys = wire.array(root, SessionProtocol.FIELD_MASTER_KEYS);
    List<MasterKeyInfo> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      out.add(masterKeyInfo(wire, wire.requireObject(keys.get(i), "master key " + i)));
    }
    return Collections.unmodifiableList(out);
  }

  private static MasterKeyInfo masterKeyInfo(Wire wire, JsonNode k) {
    String name = wire.text(k, SessionProtocol.FIELD_NAME);
    String kcv = wire.text(k, SessionProtocol.FIELD_KEY_CHECK_VALUE);
    try {
      return new MasterKeyInfo(name, PortableHsmBackend.checkValueOf(new KeyCheckValue(kcv)));
    } catch (IllegalArgumentException e) {
      throw wire.malformed("field '" + SessionProtocol.FIELD_KEY_CHECK_VALUE + "' is not hex", e);
    }
  }

  @Override
  public MasterKeyInfo importMasterKey(MasterKey key) {
    Objects.requireNonNull(key, "key");
    byte[] raw = key.copyKeyBytes();
    byte[] wrapped;
    try {
      wrapped = RsaKeys.wrapOaep(importKey, raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    ObjectNode body = Wire.object()
        .put(SessionProtocol.FIELD_NAME, key.name())
        .put(SessionProtocol.FIELD_WRAPPED_KEY, Base64.getEncoder().encodeToString(wrapped))
        .put(SessionProtocol.FIELD_WRAPPING_ALGORITHM, SessionProtocol.WRAPPING_RSA_OAEP_256);
    HttpCaller.Result r = send(Operation.IMPORT_MASTER_KEY, "POST",
        SessionProtocol.importPath(unitId, sessionId), Wire.bytes(body));
    Wire wire = new Wire(Operation.IMPORT_MASTER_KEY, unitId);
    return masterKeyInfo(wire, wire.requireObject(wire.parse(r.body(), r.contentType()),
        "the import answer"));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      send(Operation.OPEN_SESSION, "DELETE", SessionProtocol.sessionPath(unitId, sessionId), null);
    } catch (KpDedicatedException | IllegalStateException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the session on crypto unit {0} failed: {1}",
          unitId, e.getMessage());
    } finally {
      closed = true;
    }
  }

  @Override
  public String toString() {
    return "HttpHsmSession[unit=" + unitId + ", closed=" + closed + "]";
  }
}
