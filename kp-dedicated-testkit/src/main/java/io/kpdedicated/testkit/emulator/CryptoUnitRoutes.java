package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.http.SessionProtocol;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;

/**
 * The crypto-unit API on the instance endpoint, over the cloud's unit model: list the units, claim
 * one, zeroize one (which ends its sessions in the cloud's one session registry, whichever way
 * they were opened) and read the crypto-user metadata. Every route needs a bearer token and names
 * the instance in {@code Instance-ID} / {@code Bluemix-Instance}. Thread-safe.
 */
final class CryptoUnitRoutes {
  private final InMemoryDedicatedCloud cloud;
  private final AccessChecks access;

  /**
   * Creates the routes.
   *
   * @param cloud the cloud
   * @param access the token and instance checks
   */
  CryptoUnitRoutes(InMemoryDedicatedCloud cloud, AccessChecks access) {
    this.cloud = cloud;
    this.access = access;
  }

  /**
   * Adds the crypto-unit routes to a table.
   *
   * @param table the emulator's route table
   */
  void register(RouteTable table) {
    table.add("GET", "/api/v1/cryptounits", this::listUnits)
        .add("POST", "/api/v1/cryptounits/claim", this::claim)
        .add("POST", "/api/v1/crypto_units/{unit}/zeroize", this::zeroize)
        .add("GET", "/api/v1/cryptouser/metadata", this::metadata);
  }

  private Reply listUnits(EmulatorRequest r) {
    String guid = access.instanceGuid(r);
    ArrayNode a = Json.array();
    for (CryptoUnit u : cloud.listUnits(guid)) {
      a.addObject().put("id", u.id()).put("instanceId", u.instanceId()).put("state", u.rawState());
    }
    return Reply.json(200, a);
  }

  private Reply claim(EmulatorRequest r) {
    String guid = access.instanceGuid(r);
    String unit = r.header(SessionProtocol.HEADER_CRYPTO_UNIT_ID);
    if (unit == null || unit.isBlank()) {
      throw new Refusal(400, "B1B39C46", "missing header Crypto-Unit-ID");
    }
    String certificate = Json.requiredText(Json.objectBody(r), "certificate");
    Json.requireStrongRsa(certificate, "certificate", unit);
    cloud.claim(guid, unit, certificate);
    return Reply.empty(204);
  }

  private Reply zeroize(EmulatorRequest r) {
    String unitId = r.param("unit");
    String guid = access.unitCall(r, unitId);
    cloud.zeroize(guid, unitId);
    return Reply.empty(204);
  }

  private Reply metadata(EmulatorRequest r) {
    String guid = access.instanceGuid(r);
    CryptoUserMetadata m = cloud.cryptoUserMetadata(guid);
    return Reply.json(200, Json.object().put("user_name", m.userName())
        .put("public_key", m.publicKeyPem()).put("slot_id", m.slotId()));
  }
}
