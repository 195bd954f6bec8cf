package io.kpdedicated.testkit.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The three error formats the emulator answers in, one per API family, chosen by the request's
 * path (so an unknown path of a family still gets that family's format):
 *
 * <ul>
 *   <li>{@link #IAM} ({@code /identity/...}): {@code {"errorCode","errorMessage",
 *       "context":{"requestId"}}};
 *   <li>{@link #KEY_PROTECT} ({@code /api/v1/crypto...}): a Key Protect error collection
 *       {@code {"metadata":{"collectionType":"application/vnd.ibm.kms.error+json",
 *       "collectionTotal":1},"resources":[{"errorMsg","reasons":[{"code","message","status",
 *       "moreInfo"}]}]}};
 *   <li>{@link #PLATFORM} (everything else: Resource Controller, Resource Manager, Global Catalog
 *       and the control API): {@code {"message","status_code","error_code","transaction_id"}}.
 * </ul>
 */
enum ErrorFormat {
  /** IAM's error answer. */
  IAM,
  /** The Key Protect error collection of the crypto-unit and session API. */
  KEY_PROTECT,
  /** The IBM Cloud platform error of the Resource Controller and the other platform APIs. */
  PLATFORM;

  /**
   * Returns the format of the API family a path belongs to.
   *
   * @param segments the decoded path segments
   * @return the format
   */
  static ErrorFormat of(List<String> segments) {
    if (!segments.isEmpty() && segments.get(0).equals("identity")) {
      return IAM;
    }
    if (segments.size() >= 3 && segments.get(0).equals("api") && segments.get(1).equals("v1")
        && segments.get(2).startsWith("crypto")) {
      return KEY_PROTECT;
    }
    return PLATFORM;
  }

  /**
   * Returns an error answer in this format.
   *
   * @param status the HTTP status
   * @param code the error code
   * @param message the reason
   * @param transactionId the service's request id, or null to use {@code requestId}
   * @param requestId the request id the answer echoes
   * @return the answer
   */
  Reply error(int status, String code, String message, String transactionId, String requestId) {
    String id = transactionId != null ? transactionId : requestId;
    ObjectNode o = Json.object();
    switch (this) {
      case IAM:
        o.put("errorCode", code).put("errorMessage", message);
        o.putObject("context").put("requestId", id);
        break;
      case KEY_PROTECT: {
        o.putObject("metadata").put("collectionType", "application/vnd.ibm.kms.error+json")
            .put("collectionTotal", 1);
        ObjectNode r = o.putArray("resources").addObject();
        r.put("errorMsg", reasonPhrase(status));
        r.putArray("reasons").addObject().put("code", code).put("message", message)
            .put("status", status).put("moreInfo", "kp-dedicated loopback emulator");
        break;
      }
      default:
        o.put("message", message).put("status_code", status).put("error_code", code)
            .put("transaction_id", id);
        break;
    }
    return Reply.json(status, o);
  }

  private static String reasonPhrase(int status) {
    switch (status) {
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 409: return "Conflict";
      case 413: return "Payload Too Large";
      case 429: return "Too Many Requests";
      case 503: return "Service Unavailable";
      default: return status >= 500 ? "Internal Server Error" : "Error";
    }
  }
}
