package io.kpdedicated.core.spi;

import java.util.Locale;

/** Hints on what to do after a failure, shared by every transport. Stateless. */
public final class Remediations {
  private Remediations() {}

  /** The hint for {@code 503 no healthy upstream}: the four causes the runbook names. */
  public static final String NO_HEALTHY_UPSTREAM =
      "'503 no healthy upstream' means the instance cannot serve keys yet. Check the four causes:"
          + " (1) not every crypto unit is kms-initialized (run the initializer again, it resumes);"
          + " (2) the units hold different master keys (compare key check values; zeroize and"
          + " re-import the odd unit with the instance's keyshares);"
          + " (3) the kmsCryptoUser is missing on a unit (the initializer adds it);"
          + " (4) a unit is in maintenance or being replaced (wait and retry).";

  /** The hint for a timeout against a private endpoint. */
  public static final String PRIVATE_ENDPOINT_TIMEOUT =
      "The endpoint is a private endpoint (.api.private.), reachable only from IBM Cloud's private"
          + " network; from elsewhere calls time out ('context deadline exceeded'). Use the"
          + " instance's public endpoint (https://<instance-id>.api.<region>.kms.appdomain.cloud)"
          + " or run from inside the private network.";

  /**
   * Derives a hint from an HTTP status and service code.
   *
   * @param status the HTTP status, 0 for none
   * @param serviceCode the service's error code, may be null
   * @param message the error message, may be null
   * @return a hint, or {@code null} when nothing useful can be said
   */
  public static String forStatus(int status, String serviceCode, String message) {
    String text = ((serviceCode == null ? "" : serviceCode) + " " + (message == null ? "" : message))
        .toLowerCase(Locale.ROOT);
    if (status == 503 && text.contains("no healthy upstream")) {
      return NO_HEALTHY_UPSTREAM;
    }
    if (text.contains("maintenance")) {
      return "The crypto unit is in maintenance (at most one unit at a time); retry later, only that"
          + " unit needs it.";
    }
    switch (status) {
      case 401:
        return "The token was refused: check IBMCLOUD_API_KEY (or the token provider) and that it"
            + " has not expired.";
      case 403:
        return "Not allowed: the API key needs Manager access to the Key Protect instance, or the"
            + " admin signature does not match the unit's claimed administrator.";
      case 404:
        return "Not found: check the instance id / GUID, the endpoint's region and the unit id.";
      case 409:
        return "The unit is not in the state this call needs; list the units and run the"
            + " initializer, which does only what each unit still needs.";
      case 429:
        return "Rate limited: retry after the delay the service asked for.";
      default:
        if (status >= 500) {
          return "The service failed temporarily; retry (only the failed units need it).";
        }
        return null;
    }
  }
}
