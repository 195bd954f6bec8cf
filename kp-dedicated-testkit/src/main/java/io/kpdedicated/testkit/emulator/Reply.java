package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the emulator, before it is written; {@code drop} closes the connection instead of
 * answering. Immutable apart from the body array, which is never changed after creation.
 *
 * @param status the HTTP status (0 for a dropped connection)
 * @param body the body, empty for none
 * @param headers the answer headers besides the request and correlation ids
 * @param drop whether to close the connection without an answer
 */
record Reply(int status, byte[] body, Map<String, String> headers, boolean drop) {
  /**
   * Copies the headers.
   *
   * @param status the HTTP status (0 for a dropped connection)
   * @param body the body, empty for none
   * @param headers the answer headers
   * @param drop whether to close the connection without an answer
   */
  Reply {
    headers = Map.copyOf(headers);
  }

  /**
   * Returns a JSON answer.
   *
   * @param status the HTTP status
   * @param node the body
   * @return the answer
   */
  static Reply json(int status, JsonNode node) {
    return new Reply(status, Json.bytes(node), Map.of("Content-Type", "application/json"), false);
  }

  /**
   * Returns an answer with a text body of the given media type.
   *
   * @param status the HTTP status
   * @param contentType the media type
   * @param body the body, written as UTF-8
   * @return the answer
   */
  static Reply text(int status, String contentType, String body) {
    return new Reply(status, body.getBytes(StandardCharsets.UTF_8),
        Map.of("Content-Type", contentType), false);
  }

  /**
   * Returns an answer without a body.
   *
   * @param status the HTTP status
   * @return the answer
   */
  static Reply empty(int status) {
    return new Reply(status, new byte[0], Map.of(), false);
  }

  /**
   * Returns the instruction to close the connection without an answer.
   *
   * @return the instruction
   */
  static Reply dropped() {
    return new Reply(0, new byte[0], Map.of(), true);
  }

  /**
   * Returns this answer with one more header (or one replaced).
   *
   * @param header the header name
   * @param value the value
   * @return the answer
   */
  Reply with(String header, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(header, value);
    return new Reply(status, body, h, drop);
  }
}
