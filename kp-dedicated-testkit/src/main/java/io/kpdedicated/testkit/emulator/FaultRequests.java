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
 * Turns the JSON of {@code POST /emulator/v1/faults} into fault rules of the cloud's one fault
 * queue (every kind, {@code malformed} included) and pending rules back into JSON. Each rule is
 * validated as every rule is ({@link FaultRule}'s check that it can fire), and a rule the emulator
 * cannot understand is a {@link BadFault} naming the field. Stateless.
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

  /** The highest unit index a fault may name: an instance has 2 or 3 units. */
  static final int MAX_UNIT_INDEX = 2;
  /** The longest injected latency, so that a fault cannot hold a worker for good. */
  static final long MAX_LATENCY_MS = 600_000;
  /** The longest {@code Retry-After} a fault may carry: one day. */
  static final long MAX_RETRY_AFTER_SECONDS = 86_400;

  /**
   * Checks a fault's {@code unit} field against the units the emulator has: a 0-based index
   * ({@code 0} to {@value #MAX_UNIT_INDEX}, as a number or a string of digits), a known unit id,
   * or {@code *} / {@code any} / absent.
   *
   * @throws BadFault naming the field for anything else (a negative or too large index, an
   *     unknown id, another type)
   */
  static void checkUnit(JsonNode unitNode, java.util.Set<String> knownUnitIds) {
    if (unitNode == null || unitNode.isNull()) {
      return;
    }
    String hint = "; use a 0-based index 0.." + MAX_UNIT_INDEX + ", a unit id the emulator knows,"
        + " or \"*\"";
    if (unitNode.isNumber()) {
      if (!unitNode.isIntegralNumber() || !unitNode.canConvertToInt() || unitNode.intValue() < 0
          || unitNode.intValue() > MAX_UNIT_INDEX) {
        throw new BadFault("'unit' " + unitNode + " is no unit index" + hint);
      }
      return;
    }
    if (!unitNode.isTextual()) {
      throw new BadFault("'unit' must be a string or a number" + hint);
    }
    String u = unitNode.asText();
    if (u.equals("*") || u.equals("any") || knownUnitIds.contains(u)) {
      return;
    }
    if (u.matches("[0-9]{1,5}") && Integer.parseInt(u) <= MAX_UNIT_INDEX) {
      return;
    }
    throw new BadFault("'unit' \"" + (u.length() > 64 ? u.substring(0, 64) + "..." : u)
        + "\" names no crypto unit" + hint);
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
        if (!unitNode.canConvertToInt()) {
          throw new BadFault("'unit' must be a unit index 0.." + MAX_UNIT_INDEX + " or a unit id");
        }
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
      } else if (timesNode.isIntegralNumber() && timesNode.canConvertToInt()
          && timesNode.intValue() >= 1) {
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
        if (statusNode == null || !statusNode.isIntegralNumber() || !statusNode.canConvertToInt()) {
          throw new BadFault("an error fault needs an integer 'status' (400..599)");
        }
        int status = statusNode.intValue();
        String code = json.hasNonNull("code") ? text(json.get("code"), "code") : defaultCode(status);
        String message = json.hasNonNull("message") ? text(json.get("message"), "message")
            : "injected fault: HTTP " + status;
        Duration retryAfter = null;
        JsonNode ra = json.get("retry_after");
        if (ra != null && !ra.isNull()) {
          if (!ra.isIntegralNumber() || !ra.canConvertToLong() || ra.longValue() < 0
              || ra.longValue() > MAX_RETRY_AFTER_SECONDS) {
            throw new BadFault("'retry_after' must be a number of seconds, 0 to "
                + MAX_RETRY_AFTER_SECONDS);
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
        if (ms == null || !ms.isIntegralNumber() || !ms.canConvertToLong() || ms.longValue() < 0
            || ms.longValue() > MAX_LATENCY_MS) {
          throw new BadFault("a latency fault needs 'latency_ms' (0 to " + MAX_LATENCY_MS + ")");
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
      case "no-healthy-upstream":
        fault = Fault.GatewayAnswer.NO_HEALTHY_UPSTREAM;
        break;
      case "gateway-page": {
        JsonNode st = json.get("status");
        if (st == null || !st.isIntegralNumber() || st.intValue() < 400 || st.intValue() > 599) {
          throw new BadFault("a gateway-page fault needs 'status' (400 to 599)");
        }
        fault = Fault.GatewayAnswer.htmlPage(st.intValue());
        break;
      }
      case "malformed": {
        JsonNode b = json.get("body");
        String body = b == null || b.isNull() ? "truncated" : b.isTextual() ? b.asText() : "";
        if (!Fault.MalformedAnswer.BODIES.contains(body)) {
          throw new BadFault("'body' must be one of " + Fault.MalformedAnswer.BODIES);
        }
        fault = new Fault.MalformedAnswer(body);
        break;
      }
      default:
        throw new BadFault("unknown fault kind '" + kind + "'; use error, maintenance, latency,"
            + " connection-drop, response-lost, no-healthy-upstream, gateway-page or malformed");
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
    } else if (f instanceof Fault.GatewayAnswer g) {
      if (g.equals(Fault.GatewayAnswer.NO_HEALTHY_UPSTREAM)) {
        o.put("kind", "no-healthy-upstream");
      } else {
        o.put("kind", "gateway-page").put("status", g.status());
      }
    } else if (f instanceof Fault.MalformedAnswer m) {
      o.put("kind", "malformed").put("body", m.body());
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
