package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.testkit.FaultRule;
import io.kpdedicated.testkit.UnitRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The emulator's own fault kind {@code malformed}: instead of serving a call (which then does not
 * happen), answer {@code 200} with a broken body, as a misbehaving proxy or gateway would.
 * Thread-safe.
 */
final class MalformedAnswers {
  /** The broken bodies on offer. */
  static final List<String> BODIES = List.of("truncated", "wrong-types", "html", "empty", "huge");

  private final Object lock = new Object();
  private final List<Rule> rules = new ArrayList<>();

  private static final class Rule {
    final Operation operation;
    final UnitRef unit;
    final String body;
    int remaining;

    Rule(Operation operation, UnitRef unit, String body, int times) {
      this.operation = operation;
      this.unit = unit;
      this.body = body;
      this.remaining = times;
    }
  }

  /** Parses a {@code malformed} fault; the other fields as for every fault. */
  ObjectNode add(JsonNode json) {
    String body = body(json);
    FaultRule shape = shape(json);
    synchronized (lock) {
      rules.add(new Rule(shape.operation(), shape.unit(), body, shape.times()));
    }
    return describe(shape.operation(), shape.unit(), body, shape.times());
  }

  /**
   * Checks a {@code malformed} fault without adding it.
   *
   * @throws FaultRequests.BadFault naming the field that is wrong
   */
  static void check(JsonNode json) {
    body(json);
    shape(json);
  }

  private static String body(JsonNode json) {
    JsonNode b = json.get("body");
    String body = b == null || b.isNull() ? "truncated" : b.isTextual() ? b.asText() : "";
    if (!BODIES.contains(body)) {
      throw new FaultRequests.BadFault("'body' must be one of " + BODIES);
    }
    return body;
  }

  private static FaultRule shape(JsonNode json) {
    ObjectNode copy = ((ObjectNode) json.deepCopy()).put("kind", "connection-drop");
    copy.remove("body");
    return FaultRequests.parse(copy);
  }

  private static ObjectNode describe(Operation op, UnitRef unit, String body, int times) {
    ObjectNode o = FaultRequests.toJson(new FaultRule(op, unit,
        new io.kpdedicated.testkit.Fault.ConnectionDrop(), times));
    o.put("kind", "malformed").put("body", body);
    return o;
  }

  void clear() {
    synchronized (lock) {
      rules.clear();
    }
  }

  ArrayNode pending() {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    synchronized (lock) {
      for (Rule r : rules) {
        a.add(describe(r.operation, r.unit, r.body, r.remaining));
      }
    }
    return a;
  }

  /**
   * Returns the broken answer for a call if a rule matches (using up one of its times), else null.
   */
  EmulatorHandler.Reply take(Operation op, String unitId, int unitIndex) {
    String body = null;
    synchronized (lock) {
      for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
        Rule r = it.next();
        if ((r.operation == null || r.operation == op) && r.unit.matches(unitId, unitIndex)) {
          body = r.body;
          if (r.remaining != FaultRule.FOREVER && --r.remaining == 0) {
            it.remove();
          }
          break;
        }
      }
    }
    return body == null ? null : reply(body);
  }

  private static EmulatorHandler.Reply reply(String kind) {
    Map<String, String> json = Map.of("Content-Type", "application/json");
    switch (kind) {
      case "truncated":
        return new EmulatorHandler.Reply(200, bytes("{\"id\":\"x\",\"guid\":\"y\",\"users\":[{\"na"), json, false);
      case "wrong-types":
        return new EmulatorHandler.Reply(200, bytes("{\"id\":7,\"guid\":[],\"access_token\":5,"
            + "\"expires_in\":\"soon\",\"resources\":\"none\",\"users\":\"none\",\"master_keys\":{},"
            + "\"session_id\":5,\"user_name\":1,\"name\":false,\"key_check_value\":3}"), json, false);
      case "html":
        return new EmulatorHandler.Reply(200, bytes("<!DOCTYPE html><html><head><title>Gateway</title>"
            + "</head><body><h1>Service temporarily unavailable</h1></body></html>"),
            Map.of("Content-Type", "text/html; charset=utf-8"), false);
      case "empty":
        return new EmulatorHandler.Reply(200, new byte[0], json, false);
      default: {
        byte[] huge = new byte[8 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '[';
        huge[huge.length - 1] = ']';
        return new EmulatorHandler.Reply(200, huge, json, false);
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
