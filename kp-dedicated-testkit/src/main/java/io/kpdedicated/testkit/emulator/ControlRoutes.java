package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.testkit.CloudSnapshot;
import io.kpdedicated.testkit.FaultRule;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InstanceSnapshot;
import io.kpdedicated.testkit.UnitSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The control API under {@code /emulator/v1} (no token): faults, chaos, state, token revocation
 * and ready-made instances. Faults land in the cloud's one fault queue
 * ({@link InMemoryDedicatedCloud#faults()}), every kind including {@code malformed}, so what the
 * control API adds is what {@code cloud.faults().pending()} shows and what in-process calls meet
 * too. Thread-safe.
 */
final class ControlRoutes {
  private static final String BASE = "/emulator/v1";

  private final InMemoryDedicatedCloud cloud;
  private final IssuedTokens tokens;
  private final LoopbackEmulator emulator;
  private final ProvisioningRoutes documents;

  /**
   * Creates the routes.
   *
   * @param cloud the cloud
   * @param tokens the issued tokens, to count and revoke
   * @param emulator the emulator, which makes ready instances
   * @param documents writes instance documents
   */
  ControlRoutes(InMemoryDedicatedCloud cloud, IssuedTokens tokens, LoopbackEmulator emulator,
      ProvisioningRoutes documents) {
    this.cloud = cloud;
    this.tokens = tokens;
    this.emulator = emulator;
    this.documents = documents;
  }

  /**
   * Adds the control routes to a table.
   *
   * @param table the emulator's route table
   */
  void register(RouteTable table) {
    table.add("POST", BASE + "/faults", this::addFaults)
        .add("GET", BASE + "/faults", r -> Reply.json(200, pending()))
        .add("DELETE", BASE + "/faults", r -> {
          cloud.faults().clear();
          return Reply.empty(204);
        })
        .add("POST", BASE + "/chaos", this::chaos)
        .add("GET", BASE + "/state", r -> Reply.json(200, state()))
        .add("POST", BASE + "/tokens/revoke", r -> {
          tokens.revokeAll();
          return Reply.empty(204);
        })
        .add("POST", BASE + "/instances", this::createInstance);
  }

  /** Checks every fault first, then adds them all: a refused request adds none. */
  private Reply addFaults(EmulatorRequest r) {
    JsonNode body = Json.parse(r.body());
    List<JsonNode> faults = new ArrayList<>();
    if (body != null && body.isArray()) {
      body.forEach(faults::add);
    } else {
      faults.add(body);
    }
    Set<String> unitIds = knownUnitIds();
    List<FaultRule> rules = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      try {
        JsonNode f = faults.get(i);
        if (f != null && f.isObject()) {
          FaultRequests.checkUnit(f.get("unit"), unitIds);
        }
        rules.add(FaultRequests.parse(f));
      } catch (FaultRequests.BadFault e) {
        throw new Refusal(400, "BAD_FAULT", faults.size() == 1 ? e.getMessage()
            : "fault " + i + ": " + e.getMessage());
      }
    }
    ArrayNode added = Json.array();
    for (FaultRule rule : rules) {
      cloud.faults().add(rule);
      added.add(FaultRequests.toJson(rule));
    }
    ObjectNode o = Json.object();
    o.set("added", added);
    o.setAll(pending());
    return Reply.json(201, o);
  }

  private ObjectNode pending() {
    ObjectNode o = Json.object();
    o.set("pending", FaultRequests.toJson(cloud.faults().pending()));
    return o;
  }

  private Set<String> knownUnitIds() {
    Set<String> ids = new HashSet<>();
    for (InstanceSnapshot i : cloud.snapshot().instances()) {
      i.units().forEach(u -> ids.add(u.id()));
    }
    return ids;
  }

  private Reply chaos(EmulatorRequest r) {
    JsonNode body = Json.objectBody(r);
    JsonNode p = body.get("probability");
    JsonNode seed = body.get("seed");
    if (p == null || !p.isNumber() || p.doubleValue() < 0 || p.doubleValue() > 1) {
      throw new Refusal(400, "BAD_REQUEST", "'probability' must be a number from 0 to 1");
    }
    if (seed != null && !seed.isNull() && !(seed.isIntegralNumber() && seed.canConvertToLong())) {
      throw new Refusal(400, "BAD_REQUEST", "'seed' must be an integer (a 64-bit number), got "
          + seed.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    cloud.faults().chaos(p.doubleValue(), seed != null && !seed.isNull() ? seed.longValue() : 1L);
    return Reply.empty(204);
  }

  private Reply createInstance(EmulatorRequest r) {
    JsonNode body = Json.objectBody(r);
    String name = Json.requiredText(body, "name");
    JsonNode units = body.get("crypto_units");
    if (units != null && !units.isNull() && !(units.isIntegralNumber() && units.canConvertToInt())) {
      throw new Refusal(400, "BAD_REQUEST", "'crypto_units' must be 2 or 3");
    }
    int n = units == null || units.isNull() ? 2 : units.intValue();
    ServiceInstance si;
    try {
      si = emulator.createActiveInstance(name, n);
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "BAD_REQUEST", e.getMessage());
    }
    return Reply.json(201, documents.instanceJson(si));
  }

  /**
   * Returns the state document of {@code GET /emulator/v1/state}.
   *
   * @return every instance with its units, the tokens issued, the open sessions and the pending
   *     faults
   */
  ObjectNode state() {
    CloudSnapshot snap = cloud.snapshot();
    ObjectNode o = Json.object();
    ArrayNode instances = o.putArray("instances");
    for (InstanceSnapshot i : snap.instances()) {
      ObjectNode io = documents.instanceJson(i.instance());
      ArrayNode units = io.putArray("units");
      for (UnitSnapshot u : i.units()) {
        ObjectNode uo = units.addObject();
        uo.put("id", u.id()).put("index", u.index()).put("state", u.state().wireValue() == null
            ? "unknown" : u.state().wireValue()).put("claimed", u.admin() != null);
        if (u.masterKey() != null) {
          uo.put("master_key_name", u.masterKey().name())
              .put("key_check_value", u.masterKey().checkValue().text());
        } else {
          uo.putNull("master_key_name").putNull("key_check_value");
        }
        ArrayNode users = uo.putArray("users");
        u.users().forEach(x -> users.add(SessionRoutes.userJson(x.name(), x.type(),
            x.attributes())));
      }
      instances.add(io);
    }
    o.put("tokens_issued", tokens.issuedCount());
    o.put("open_sessions", cloud.sessions().count());
    o.set("pending_faults", FaultRequests.toJson(cloud.faults().pending()));
    return o;
  }
}
