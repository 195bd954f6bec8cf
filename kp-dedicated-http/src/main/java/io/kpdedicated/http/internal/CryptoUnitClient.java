package io.kpdedicated.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.http.SessionProtocol;
import java.net.URI;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The crypto-unit API of an instance endpoint, with the paths, headers and JSON fields of the
 * service: {@code GET /api/v1/cryptounits}, {@code POST /api/v1/cryptounits/claim}, {@code POST
 * /api/v1/crypto_units/{id}/zeroize}, {@code GET /api/v1/cryptouser/metadata}, plus the signed
 * session protocol of {@link SessionProtocol}. Besides the common headers, every call carries the
 * correlation id also as {@code Correlation-Id} and an {@code X-IBMCloud-SDK-Analytics} header
 * naming the SDK, its version and the action, as IBM's Go client does. Immutable and thread-safe.
 */
public final class CryptoUnitClient implements CryptoUnitApi {
  private final HttpCaller caller;
  private final SecureRandom random;

  /**
   * Creates a client.
   *
   * @param caller the caller
   * @param random the nonce source for signed commands
   */
  public CryptoUnitClient(HttpCaller caller, SecureRandom random) {
    this.caller = Objects.requireNonNull(caller, "caller");
    this.random = Objects.requireNonNull(random, "random");
  }

  HttpCaller.Call call(Operation op, String method, InstanceTarget target, String path) {
    URI uri = Endpoints.resolve(target.endpoint(), path);
    return new HttpCaller.Call(op, method, uri)
        .header(SdkInfo.ANALYTICS_HEADER, SdkInfo.analytics(op.wireName()))
        .header("Correlation-Id", caller.correlationId())
        .header("Bluemix-Instance", target.instanceGuid())
        .header("Instance-ID", target.instanceGuid())
        .privateEndpoint(target.isPrivateEndpoint());
  }

  @Override
  public List<CryptoUnit> listUnits(InstanceTarget target) {
    Objects.requireNonNull(target, "target");
    HttpCaller.Result r = caller.execute(call(Operation.LIST_UNITS, "GET", target, "/api/v1/cryptounits"));
    Wire wire = new Wire(Operation.LIST_UNITS, null);
    JsonNode root = wire.parse(r.body(), r.contentType());
    JsonNode array = root.isObject() && root.has("crypto_units")
        ? wire.array(root, "crypto_units")
        : wire.requireArray(root, "the unit list");
    List<CryptoUnit> units = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode item = wire.requireObject(array.get(i), "unit " + i + " of the list");
      String id = wire.text(item, "id");
      String instanceId = wire.optText(item, "instanceId");
      String state = wire.optText(item, "state");
      try {
        units.add(CryptoUnit.of(id, instanceId == null ? target.instanceGuid() : instanceId, state));
      } catch (IllegalArgumentException e) {
        throw wire.malformed("unit " + i + " of the list is invalid: " + e.getMessage(), e);
      }
    }
    return Collections.unmodifiableList(units);
  }

  @Override
  public void claim(InstanceTarget target, String unitId, String adminPublicKeyPkcs1Pem) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(unitId, "unitId");
    Objects.requireNonNull(adminPublicKeyPkcs1Pem, "adminPublicKeyPkcs1Pem");
    ObjectNode body = Wire.object().put("certificate", adminPublicKeyPkcs1Pem);
    caller.execute(call(Operation.CLAIM, "POST", target, "/api/v1/cryptounits/claim")
        .unit(unitId)
        .header(SessionProtocol.HEADER_CRYPTO_UNIT_ID, unitId)
        .json(Wire.bytes(body)));
  }

  @Override
  public void zeroize(InstanceTarget target, String unitId) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(unitId, "unitId");
    caller.execute(call(Operation.ZEROIZE, "POST", target, SessionProtocol.zeroizePath(unitId))
        .unit(unitId)
        .header(SessionProtocol.HEADER_CRYPTO_UNIT_ID, unitId));
  }

  @Override
  public CryptoUserMetadata cryptoUserMetadata(InstanceTarget target) {
    Objects.requireNonNull(target, "target");
    HttpCaller.Result r = caller.execute(
        call(Operation.CRYPTO_USER_METADATA, "GET", target, "/api/v1/cryptouser/metadata"));
    Wire wire = new Wire(Operation.CRYPTO_USER_METADATA, null);
    JsonNode root = wire.requireObject(wire.parse(r.body(), r.contentType()), "the metadata");
    String name = wire.text(root, "user_name");
    String key = wire.text(root, "public_key");
    int slot = wire.integer(root, "slot_id");
    try {
      return new CryptoUserMetadata(name, key, slot);
    } catch (IllegalArgumentException e) {
      throw wire.malformed("the metadata is invalid: " + e.getMessage(), e);
    }
  }

  /**
   * Opens a signed-REST session on one unit.
   *
   * @param target the instance
   * @param unitId the unit
   * @param admin the unit's administrator
   * @return the session
   */
  public PortableHsmBackend.PortableSession openSession(InstanceTarget target, String unitId,
      AdminSigner admin) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(unitId, "unitId");
    Objects.requireNonNull(admin, "admin");
    byte[] body = Wire.bytes(Wire.object().put(SessionProtocol.FIELD_USER_NAME, "ADMIN"));
    HttpCaller.Call c = signed(call(Operation.OPEN_SESSION, "POST", target,
        SessionProtocol.sessionsPath(unitId)).unit(unitId).json(body), admin, unitId);
    HttpCaller.Result r = caller.execute(c);
    Wire wire = new Wire(Operation.OPEN_SESSION, unitId);
    JsonNode root = wire.requireObject(wire.parse(r.body(), r.contentType()), "the session");
    String sessionId = wire.text(root, SessionProtocol.FIELD_SESSION_ID);
    String pem = wire.text(root, SessionProtocol.FIELD_IMPORT_PUBLIC_KEY);
    String algorithm = wire.optText(root, SessionProtocol.FIELD_IMPORT_KEY_ALGORITHM);
    if (algorithm != null && !algorithm.equals(SessionProtocol.WRAPPING_RSA_OAEP_256)) {
      throw wire.malformed("the unit asks for another key wrapping; only "
          + SessionProtocol.WRAPPING_RSA_OAEP_256 + " is supported");
    }
    RSAPublicKey importKey;
    try {
      importKey = RsaKeys.fromPem(pem);
    } catch (KpDedicatedException | IllegalArgumentException e) {
      throw wire.malformed("field '" + SessionProtocol.FIELD_IMPORT_PUBLIC_KEY
          + "' is not an RSA public key PEM", e);
    }
    return new HttpHsmSession(this, target, unitId, sessionId, importKey, admin);
  }

  HttpCaller.Call signed(HttpCaller.Call c, AdminSigner admin, String unitId) {
    byte[] body = c.body() == null ? new byte[0] : c.body();
    String rawPath = c.uri.getRawPath();
    String method = c.method;
    return c.header(SessionProtocol.HEADER_CRYPTO_UNIT_ID, unitId)
        .perAttempt(() -> Signing.headers(admin, method, rawPath, unitId, body, caller.clock(), random));
  }

  HttpCaller caller() {
    return caller;
  }
}
