package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.testkit.Fault;
import io.kpdedicated.testkit.FaultRule;
import io.kpdedicated.testkit.UnitRef;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Turns the JSON of {@code POST /emulator/v1/faults} into fault rules and pending rules back into
 * JSON. Stateless.
 */
final class FaultRequests {
  private FaultRequests() {}

  /** Raised for a fault request that cannot be understood; the message says which field. */
  static final class BadFault extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadFault(String message) {
      super(message);
    }
  }

  static FaultRule parse(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new BadFault("the fault must be a JSON object");
    }
    Operation op = null;
    JsonNode opNode = json.get("operation");
    if (opNode != null && !opNode.isNull()) {
      String name = text(opNode, "operation");
      if (!name.equals("*") && !name.equals("any")) {
        try {
          op = Operation.fromWireName(name);
        } catch (IllegalArgumentException e) {
          throw new BadFault(e.getMessage());
        }
      }
    }
    UnitRef unit = UnitRef.any();
    JsonNode unitNode = json.get("unit");
    if (unitNode != null && !unitNode.isNull()) {
      if (unitNode.isIntegralNumber()) {
        unit = UnitRef.index(nonNegative(unitNode.intValue(), "unit"));
      } else {
        String u = text(unitNode, "unit");
        unit = u.equals("*") || u.equals("any") ? UnitRef.any()
            : u.chars().allMatch(Character::isDigit) && u.length() < 6
                ? UnitRef.index(Integer.parseInt(u)) : UnitRef.id(u);
      }
    }
    int times = 1;
    JsonNode timesNode = json.get("times");
    if (timesNode != null && !timesNode.isNull()) {
      if (timesNode.isTextual() && timesNode.asText().equals("always")) {
        times = FaultRule.FOREVER;
      } else if (timesNode.isIntegralNumber() && timesNode.intValue() >= 1) {
        times = timesNode.intValue();
      } else {
        throw new BadFault("'times' must be a positive integer or \"always\"");
      }
    }
    JsonNode statusNode = json.get("status");
    String kind = json.hasNonNull("kind") ? text(json.get("kind"), "kind").toLowerCase(Locale.ROOT)
        : statusNode != null && !statusNode.isNull() ? "error" : null;
    if (kind == null) {
      throw new BadFault("say what the fault does: 'kind' (error, maintenance, latency,"
          + " connection-drop, response-lost, malformed) or 'status'");
    }
    Fault fault;
    switch (kind) {
      case "error": {
        if (statusNode == null || !statusNode.isIntegralNumber()) {
          throw new BadFault("an error fault needs an integer 'status' (400..599)");
        }
        int status = statusNode.intValue();
        String code = json.hasNonNull("code") ? text(json.get("code"), "code") : defaultCode(status);
        String message = json.hasNonNull("message") ? text(json.get("message"), "message")
            : "injected fault: HTTP " + status;
        Duration retryAfter = null;
        JsonNode ra = json.get("retry_after");
        if (ra != null && !ra.isNull()) {
          if (!ra.isIntegralNumber() || ra.longValue() < 0) {
            throw new BadFault("'retry_after' must be a number of seconds");
          }
          retryAfter = Duration.ofSeconds(ra.longValue());
        }
        try {
          fault = new Fault.ErrorStatus(status, code, message, retryAfter);
        } catch (IllegalArgumentException e) {
          throw new BadFault(e.getMessage());
        }
        break;
      }
      case "maintenance":
        fault = new Fault.Maintenance();
        break;
      case "latency": {
        JsonNode ms = json.get("latency_ms");
        if (ms == null || !ms.isIntegralNumber() || ms.longValue() < 0) {
          throw new BadFault("a latency fault needs 'latency_ms' (0 or more)");
        }
        fault = new Fault.Latency(Duration.ofMillis(ms.longValue()));
        break;
      }
      case "connection-drop":
        fault = new Fault.ConnectionDrop();
        break;
      case "response-lost":
        fault = new Fault.ResponseLost();
        break;
      default:
        throw new BadFault("unknown fault kind '" + kind + "'; use error, maintenance, latency,"
            + " connection-drop, response-lost or malformed");
    }
    try {
      return new FaultRule(op, unit, fault, times);
    } catch (IllegalArgumentException e) {
      throw new BadFault(e.getMessage());
    }
  }

  private static String defaultCode(int status) {
    switch (status) {
      case 429:
        return "TOO_MANY_REQUESTS";
      case 503:
        return "SERVICE_UNAVAILABLE";
      case 500:
        return "INTERNAL_SERVER_ERROR";
      case 401:
        return "UNAUTHORIZED";
      default:
        return "INJECTED_FAULT";
    }
  }

  private static String text(JsonNode n, String field) {
    if (!n.isTextual() || n.asText().isBlank()) {
      throw new BadFault("'" + field + "' must be a non-empty string");
    }
    return n.asText();
  }

  private static int nonNegative(int v, String field) {
    if (v < 0) {
      throw new BadFault("'" + field + "' must not be negative");
    }
    return v;
  }

  static ObjectNode toJson(FaultRule rule) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("operation", rule.operation() == null ? "*" : rule.operation().wireName());
    UnitRef u = rule.unit();
    if (u instanceof UnitRef.ById id) {
      o.put("unit", id.unitId());
    } else if (u instanceof UnitRef.ByIndex idx) {
      o.put("unit", Integer.toString(idx.index()));
    } else {
      o.put("unit", "*");
    }
    if (rule.times() == FaultRule.FOREVER) {
      o.put("times", "always");
    } else {
      o.put("times", rule.times());
    }
    Fault f = rule.fault();
    if (f instanceof Fault.ErrorStatus e) {
      o.put("kind", "error").put("status", e.status()).put("code", e.serviceCode())
          .put("message", e.message());
      if (e.retryAfter() != null) {
        o.put("retry_after", e.retryAfter().toSeconds());
      }
    } else if (f instanceof Fault.Maintenance) {
      o.put("kind", "maintenance");
    } else if (f instanceof Fault.Latency l) {
      o.put("kind", "latency").put("latency_ms", l.delay().toMillis());
    } else if (f instanceof Fault.ConnectionDrop) {
      o.put("kind", "connection-drop");
    } else {
      o.put("kind", "response-lost");
    }
    return o;
  }

  static ArrayNode toJson(List<FaultRule> rules) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    rules.forEach(r -> a.add(toJson(r)));
    return a;
  }
}
