package io.kpdedicated.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads and writes the JSON of one call, turning every surprise (empty body, HTML, truncated JSON,
 * missing field, wrong type) into a {@link TransportException} that names the operation, the unit
 * and the field. Immutable and thread-safe.
 *
 * @param operation the operation whose answer is read
 * @param unitId the unit concerned, or {@code null}
 */
public record Wire(Operation operation, String unitId) {

  /** The shared mapper: strict (trailing tokens and duplicate keys are errors). Thread-safe. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** Returns a new empty JSON object to build a request body with. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Serializes a JSON tree to UTF-8 bytes. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  /**
   * Parses a response body.
   *
   * @param body the body bytes
   * @param contentType the {@code Content-Type} header, may be null
   * @return the parsed tree, never null
   * @throws TransportException if the body is empty, HTML or not JSON
   */
  public JsonNode parse(byte[] body, String contentType) {
    if (body == null || body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
      throw malformed("the answer has an empty body where JSON was expected");
    }
    if (looksLikeHtml(body, contentType)) {
      throw malformed("the answer is an HTML page (" + body.length + " bytes), not JSON; a proxy or"
          + " gateway probably answered instead of the service");
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw malformed("the answer has an empty body where JSON was expected");
      }
      return node;
    } catch (IOException e) {
      throw malformed("the answer is not valid JSON (" + body.length + " bytes; truncated or"
          + " corrupt): " + shortReason(e), e);
    }
  }

  /** Returns whether a body is an HTML page. */
  public static boolean looksLikeHtml(byte[] body, String contentType) {
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html")) {
      return true;
    }
    int n = Math.min(body.length, 64);
    String head = new String(body, 0, n, StandardCharsets.UTF_8).stripLeading().toLowerCase(Locale.ROOT);
    return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head")
        || head.startsWith("<body");
  }

  /** Requires {@code node} to be a JSON object. */
  public JsonNode requireObject(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw malformed(what + " is " + describe(node) + ", expected a JSON object");
    }
    return node;
  }

  /** Requires {@code node} to be a JSON array. */
  public JsonNode requireArray(JsonNode node, String what) {
    if (node == null || !node.isArray()) {
      throw malformed(what + " is " + describe(node) + ", expected a JSON array");
    }
    return node;
  }

  /** Returns a required, non-blank string field. */
  public String text(JsonNode obj, String field) {
    String v = optText(obj, field);
    if (v == null || v.isBlank()) {
      throw malformed("field '" + field + "' is missing or empty");
    }
    return v;
  }

  /** Returns an optional string field: null when absent or JSON null; an error for another type. */
  public String optText(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw malformed("field '" + field + "' is " + describe(v) + ", expected a string");
    }
    return v.asText();
  }

  /** Returns a required integer field (a JSON number without fraction that fits an int). */
  public int integer(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      throw malformed("field '" + field + "' is missing");
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw malformed("field '" + field + "' is " + describe(v) + ", expected an integer");
    }
    return v.intValue();
  }

  /** Returns an optional integer-valued field as a long: null when absent; an error for another type. */
  public Long optLong(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || !v.canConvertToLong()) {
      throw malformed("field '" + field + "' is " + describe(v) + ", expected a number");
    }
    return v.longValue();
  }

  /** Returns an optional object field: null when absent or JSON null; an error for another type. */
  public JsonNode optObject(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw malformed("field '" + field + "' is " + describe(v) + ", expected an object");
    }
    return v;
  }

  /** Returns a required array field. */
  public JsonNode array(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      throw malformed("field '" + field + "' is missing");
    }
    return requireArray(v, "field '" + field + "'");
  }

  /** Creates the exception for a malformed answer. */
  public TransportException malformed(String detail) {
    return malformed(detail, null);
  }

  /** Creates the exception for a malformed answer with a cause. */
  public TransportException malformed(String detail, Throwable cause) {
    String where = unitId == null ? "" : " for crypto unit " + unitId;
    return new TransportException(operation, FailureKind.INVALID_ANSWER, unitId,
        "Malformed answer to " + operation.wireName() + where + ": " + detail,
        "The service or a proxy sent an answer that cannot be used; retry. If it persists, check"
            + " the endpoint (it must be the instance's Key Protect endpoint) and any proxy in between.",
        true, cause);
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    JsonNodeType t = node.getNodeType();
    switch (t) {
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      case NULL:
        return "null";
      default:
        return t.name().toLowerCase(Locale.ROOT);
    }
  }

  private static String shortReason(IOException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    m = nl >= 0 ? m.substring(0, nl) : m;
    return Redactor.clean(m, null);
  }
}
