package io.kpdedicated.http.internal;

import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.Remediations;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The one place that reads an HTTP error answer (status, error code, message) and turns it into
 * the typed facts of the SPI: the {@link FailureKind} and a remediation hint. Stateless.
 */
public final class StatusFacts {
  private StatusFacts() {}

  private static final Set<Operation> SESSION_OPERATIONS = EnumSet.of(Operation.OPEN_SESSION,
      Operation.LIST_USERS, Operation.ADD_USER, Operation.LIST_MASTER_KEYS,
      Operation.GENERATE_MASTER_KEY, Operation.IMPORT_MASTER_KEY);

  /**
   * Returns whether the service says the unit is in maintenance (by its error code or message,
   * whatever the status).
   *
   * @param code the error code, may be null
   * @param message the error message, may be null
   * @return true when either mentions maintenance
   */
  public static boolean isMaintenance(String code, String message) {
    return text(code, message).contains("maintenance");
  }

  /**
   * Classifies an HTTP error answer.
   *
   * @param operation the call that failed
   * @param status the HTTP status
   * @param code the service's error code, may be null
   * @param message the error message, may be null
   * @return the kind
   */
  public static FailureKind kindOf(Operation operation, int status, String code, String message) {
    if (isMaintenance(code, message)) {
      return FailureKind.MAINTENANCE;
    }
    String c = code == null ? "" : code.toUpperCase(Locale.ROOT);
    switch (status) {
      case 400:
        return FailureKind.INVALID_REQUEST;
      case 401:
        return FailureKind.NOT_AUTHORIZED;
      case 403:
        return SESSION_OPERATIONS.contains(operation) ? FailureKind.NOT_ADMIN
            : FailureKind.NOT_AUTHORIZED;
      case 404:
        return FailureKind.NOT_FOUND;
      case 408:
        return FailureKind.TIMEOUT;
      case 409:
        return c.contains("ALREADY") || c.contains("EXISTS") ? FailureKind.ALREADY_EXISTS
            : FailureKind.WRONG_STATE;
      case 429:
        return FailureKind.RATE_LIMITED;
      case 502:
      case 503:
      case 504:
        return FailureKind.UNAVAILABLE;
      default:
        if (status >= 500 && status <= 599) {
          return FailureKind.INTERNAL;
        }
        return status >= 400 && status < 500 ? FailureKind.INVALID_REQUEST : FailureKind.UNKNOWN;
    }
  }

  /**
   * Derives a hint from an HTTP error answer.
   *
   * @param status the HTTP status, 0 for none
   * @param code the service's error code, may be null
   * @param message the error message, may be null
   * @param kind the kind already derived
   * @return a hint, or {@code null} when nothing useful can be said
   */
  public static String remediation(int status, String code, String message, FailureKind kind) {
    if (status == 503 && text(code, message).contains("no healthy upstream")) {
      return Remediations.NO_HEALTHY_UPSTREAM;
    }
    if (status == 403 && kind == FailureKind.NOT_AUTHORIZED) {
      return "Not allowed: the API key needs Manager access to the Key Protect instance.";
    }
    return Remediations.forKind(kind);
  }

  private static String text(String code, String message) {
    return ((code == null ? "" : code) + " " + (message == null ? "" : message))
        .toLowerCase(Locale.ROOT);
  }
}
