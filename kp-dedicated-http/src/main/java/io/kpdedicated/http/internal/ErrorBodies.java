package io.kpdedicated.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Reads the error bodies IBM Cloud services send, in their several shapes. Never throws: an
 * unreadable body yields empty fields. Stateless.
 *
 * <ul>
 *   <li>Key Protect: {@code {"metadata":{...},"resources":[{"errorMsg":"...","reasons":[{"code":"...","message":"..."}]}]}}
 *   <li>Platform (Resource Controller / Manager, Global Catalog): {@code {"error_code":"...","message":"...","transaction_id":"..."}}
 *       or {@code {"errors":[{"code":"...","message":"..."}],"trace":"..."}}
 *   <li>IAM: {@code {"errorCode":"BXNIM0415E","errorMessage":"...","context":{"requestId":"..."}}}
 *   <li>Generic: {@code {"code":...,"message":"..."}}, {@code {"error":"...","error_description":"..."}}
 * </ul>
 */
public final class ErrorBodies {
  private ErrorBodies() {}

  /**
   * What an error body says.
   *
   * @param code the service's error code, or null
   * @param message the service's message, or null
   * @param requestId a request/transaction id found in the body, or null
   */
  public record ServiceError(String code, String message, String requestId) {
    static final ServiceError NONE = new ServiceError(null, null, null);
  }

  /**
   * Parses an error body.
   *
   * @param body the body, may be null or empty
   * @param contentType the content type, may be null
   * @return what could be read; fields are null when absent
   */
  public static ServiceError parse(byte[] body, String contentType) {
    if (body == null || body.length == 0 || Wire.looksLikeHtml(body, contentType)) {
      return ServiceError.NONE;
    }
    JsonNode root;
    try {
      root = Wire.MAPPER.readTree(body);
    } catch (IOException | RuntimeException e) {
      return plainText(body, contentType);
    }
    if (root == null || !root.isObject()) {
      return ServiceError.NONE;
    }
    String code = null;
    String message = null;
    String requestId = firstText(root, "transaction_id", "trace", "request_id", "requestId",
        "correlation_id");
    JsonNode ctx = root.get("context");
    if (requestId == null && ctx != null && ctx.isObject()) {
      requestId = firstText(ctx, "requestId", "request_id", "transaction_id");
    }
    // Key Protect
    JsonNode resources = root.get("resources");
    if (resources != null && resources.isArray() && resources.size() > 0 && resources.get(0).isObject()) {
      JsonNode r = resources.get(0);
      message = firstText(r, "errorMsg", "message");
      JsonNode reasons = r.get("reasons");
      if (reasons != null && reasons.isArray() && reasons.size() > 0 && reasons.get(0).isObject()) {
        JsonNode reason = reasons.get(0);
        code = scalarText(reason.get("code"));
        String reasonMessage = firstText(reason, "message");
        if (reasonMessage != null) {
          message = message == null ? reasonMessage : message + ": " + reasonMessage;
        }
      }
    }
    // Platform "errors" array
    JsonNode errors = root.get("errors");
    if (code == null && message == null && errors != null && errors.isArray() && errors.size() > 0
        && errors.get(0).isObject()) {
      code = scalarText(errors.get(0).get("code"));
      message = firstText(errors.get(0), "message");
    }
    if (code == null) {
      code = firstScalar(root, "error_code", "errorCode", "code");
    }
    if (message == null) {
      message = firstText(root, "message", "errorMessage", "error_description", "description");
    }
    if (message == null) {
      JsonNode err = root.get("error");
      if (err != null && err.isTextual()) {
        message = err.asText();
      } else if (err != null && err.isObject()) {
        message = firstText(err, "message", "description");
        if (code == null) {
          code = firstScalar(err, "code");
        }
      }
    }
    return new ServiceError(blankToNull(code), blankToNull(message), blankToNull(requestId));
  }

  /** A short plain-text body (Envoy's {@code no healthy upstream}) is the message itself. */
  private static ServiceError plainText(byte[] body, String contentType) {
    if (body.length > 512 || (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/plain"))) {
      return ServiceError.NONE;
    }
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\r' || c == '\t')) {
      return ServiceError.NONE;
    }
    return new ServiceError(null, text, null);
  }

  private static String firstText(JsonNode obj, String... fields) {
    for (String f : fields) {
      JsonNode v = obj.get(f);
      if (v != null && v.isTextual() && !v.asText().isBlank()) {
        return v.asText();
      }
    }
    return null;
  }

  private static String firstScalar(JsonNode obj, String... fields) {
    for (String f : fields) {
      String s = scalarText(obj.get(f));
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  private static String scalarText(JsonNode v) {
    if (v == null || !(v.isTextual() || v.isNumber())) {
      return null;
    }
    String s = v.asText();
    return s.isBlank() ? null : s;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
