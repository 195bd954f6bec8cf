package io.kpdedicated.core.spi;

/** Hints on what to do after a failure, by kind, shared by every transport. Stateless. */
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
   * Returns the default hint for a kind of failure.
   *
   * @param kind the kind
   * @return a hint, or {@code null} when nothing useful can be said
   */
  public static String forKind(FailureKind kind) {
    switch (kind) {
      case MAINTENANCE:
        return "The crypto unit is in maintenance (at most one unit at a time); retry later, only"
            + " that unit needs it.";
      case NOT_AUTHORIZED:
        return "The credentials were refused: check the API key (or the token provider), that it"
            + " has not expired and that it has Manager access to the Key Protect instance.";
      case NOT_ADMIN:
        return "The unit refused the administrator credential: it was claimed with another"
            + " administrator key. Use that key, or zeroize the unit (this erases its master key)"
            + " and claim it again.";
      case NOT_FOUND:
        return "Not found: check the instance id / GUID, the endpoint's region and the unit id.";
      case WRONG_STATE:
      case ALREADY_EXISTS:
        return "The unit is not in the state this call needs; list the units and run the"
            + " initializer, which does only what each unit still needs.";
      case RATE_LIMITED:
        return "Rate limited: retry after the delay the service asked for.";
      case UNAVAILABLE:
      case INTERNAL:
      case TIMEOUT:
      case CONNECTION:
      case INVALID_ANSWER:
        return "The service failed temporarily; retry (only the failed units need it).";
      default:
        return null;
    }
  }
}
