package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpdedicated.crypto.RsaKeys;
import java.io.IOException;
import java.security.interfaces.RSAPublicKey;

/**
 * The emulator's JSON: strict reading of request bodies (one value, no duplicate keys, nothing
 * after it), the field checks every route shares, and writing answers. A body or field the
 * emulator cannot use is a {@link Refusal} with status 400 naming the field. Stateless.
 */
final class Json {
  /** Writes answers. */
  private static final ObjectMapper WRITER = JsonMapper.builder().build();
  /** Reads request bodies: a duplicate key or anything after the JSON value is refused. */
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  /** {@return a new empty JSON object} */
  static ObjectNode object() {
    return WRITER.createObjectNode();
  }

  /** {@return a new empty JSON array} */
  static ArrayNode array() {
    return WRITER.createArrayNode();
  }

  /**
   * Serializes a tree to UTF-8.
   *
   * @param node the tree
   * @return the bytes
   */
  static byte[] bytes(JsonNode node) {
    try {
      return WRITER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  /**
   * Parses a request body strictly.
   *
   * @param body the body
   * @return the tree (a JSON {@code null} node for {@code null})
   * @throws Refusal 400 for anything but exactly one JSON value
   */
  static JsonNode parse(byte[] body) {
    try {
      return STRICT.readTree(body);
    } catch (IOException e) {
      throw new Refusal(400, "BAD_REQUEST", "the request body is not valid JSON (one value, no"
          + " duplicate keys, nothing after it)");
    }
  }

  /**
   * Returns the request's body as a JSON object.
   *
   * @param r the request
   * @return the object
   * @throws Refusal 400 for an empty body or one that is not a JSON object
   */
  static JsonNode objectBody(EmulatorRequest r) {
    if (r.body().length == 0) {
      throw new Refusal(400, "BAD_REQUEST", "the request needs a JSON body");
    }
    JsonNode n = parse(r.body());
    if (n == null || !n.isObject()) {
      throw new Refusal(400, "BAD_REQUEST", "the request body must be a JSON object");
    }
    return n;
  }

  /**
   * Returns a required string field.
   *
   * @param body the JSON object
   * @param field the field name
   * @return the non-blank text
   * @throws Refusal 400 naming the field when it is missing, blank or not a string
   */
  static String requiredText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new Refusal(400, "BAD_REQUEST", "field '" + field + "' must be a non-empty string");
    }
    return v.asText();
  }

  /**
   * Refuses an RSA key below the SDK's size limit ({@link RsaKeys#MIN_RSA_BITS}, checked by
   * {@link RsaKeys#checkKeySize}); text that is no RSA key at all is left to the cloud, which
   * answers its own 400.
   *
   * @param pem the key as PEM
   * @param field the field it came in
   * @param unitId the unit it is for
   * @throws Refusal 400 {@code KEY_TOO_SHORT} naming the field, the unit and the key's size
   */
  static void requireStrongRsa(String pem, String field, String unitId) {
    RSAPublicKey key;
    try {
      key = RsaKeys.fromPemAnySize(pem);
    } catch (RuntimeException e) {
      return;
    }
    try {
      RsaKeys.checkKeySize(key);
    } catch (IllegalArgumentException e) {
      throw new Refusal(400, "KEY_TOO_SHORT", "field '" + field + "' for crypto unit " + unitId
          + ": " + e.getMessage());
    }
  }
}
