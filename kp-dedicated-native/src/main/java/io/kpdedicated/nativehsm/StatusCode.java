package io.kpdedicated.nativehsm;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A status returned by IBM's HSM library, read as an unsigned 32-bit value, with every fact the
 * SDK derives from it: the hex text, the {@link StatusFamily}, a short description, whether a retry
 * can help and what to do. This class is the one place where status codes are interpreted.
 *
 * <p>Retryable: the connection family ({@code 0xC70001xx}), the IAM-token status
 * ({@code 0x00000008}, after the token is refreshed), the service's internal error
 * ({@code 0xB1B3C350}), "session not connected" ({@code 0xC7000602}) and the HTTP failures to
 * connect, resolve or parse ({@code 0xB9032001..3}). Not retryable: authentication and permissions,
 * key files, arguments, users and everything unknown.
 *
 * @param value the status, 0..0xFFFFFFFF
 */
public record StatusCode(long value) {

  private static final Map<Long, Known> KNOWN = catalog();

  /**
   * Validates the range.
   *
   * @param value the status, 0..0xFFFFFFFF
   */
  public StatusCode {
    if (value < 0 || value > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("a status is an unsigned 32-bit value, got " + value);
    }
  }

  /**
   * Reads a C {@code int} status as unsigned.
   *
   * @param raw the value the library returned
   * @return the status
   */
  public static StatusCode of(int raw) {
    return new StatusCode(Integer.toUnsignedLong(raw));
  }

  /** {@return whether this is success (0)} */
  public boolean isSuccess() {
    return value == 0;
  }

  /** {@return the code as {@code 0x} and eight upper-case hex digits, e.g. {@code 0xC7000C01}} */
  public String hex() {
    return String.format(Locale.ROOT, "0x%08X", value);
  }

  /** {@return the code's family} */
  public StatusFamily family() {
    return StatusFamily.of(value);
  }

  /** {@return whether this code is one of the codes the SDK knows by number} */
  public boolean isKnown() {
    return KNOWN.containsKey(value);
  }

  /** {@return a short description of the code, e.g. {@code user exists}} */
  public String description() {
    Known k = KNOWN.get(value);
    return k != null ? k.description : "unknown " + family().label() + " status";
  }

  /** {@return whether repeating the same call may succeed} */
  public boolean retryable() {
    Known k = KNOWN.get(value);
    if (k != null && k.retryable != null) {
      return k.retryable;
    }
    return family().retryableByDefault();
  }

  /**
   * Returns what the caller can do about this code when {@code call} returned it.
   *
   * @param call the call that returned the code
   * @return the remediation, or empty when nothing useful can be said
   */
  public Optional<String> remediation(NativeCall call) {
    if (value == 0xB906100EL) {
      return Optional.of(call == NativeCall.IMPORT_MASTER_KEY
          || call == NativeCall.GENERATE_MASTER_KEY
          ? "the passphrase does not decrypt a master key share file: check each share file's "
              + "passphrase"
          : "the passphrase does not decrypt the admin key file: check the admin key file's "
              + "passphrase");
    }
    if (value == 0xC7000C01L && call == NativeCall.ADD_USER) {
      return Optional.of("the user already exists on this unit: list the unit's users to confirm "
          + "it is the expected one; if it is, the step is done");
    }
    Known k = KNOWN.get(value);
    if (k != null && k.remediation != null) {
      return Optional.of(k.remediation);
    }
    switch (family()) {
      case CONNECTION:
        return Optional.of("check network access to the instance endpoint on port 443 and retry; "
            + "a private endpoint (.api.private.) only answers inside IBM Cloud's private network");
      case KEY_FILE:
        return Optional.of("check that the key file exists, is readable and is the right file");
      case IAM_TOKEN:
        return Optional.of("refresh the IAM token and retry");
      default:
        return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return hex() + " (" + family().label() + ": " + description() + ")";
  }

  private static final class Known {
    final String description;
    final Boolean retryable;
    final String remediation;

    Known(String description, Boolean retryable, String remediation) {
      this.description = description;
      this.retryable = retryable;
      this.remediation = remediation;
    }
  }

  private static void put(Map<Long, Known> m, long code, String description) {
    m.put(code, new Known(description, null, null));
  }

  private static void put(Map<Long, Known> m, long code, String description, Boolean retryable,
      String remediation) {
    m.put(code, new Known(description, retryable, remediation));
  }

  private static Map<Long, Known> catalog() {
    Map<Long, Known> m = new HashMap<>();
    put(m, 0x00000000L, "success");
    // basic
    put(m, 0xC7000001L, "invalid argument");
    put(m, 0xC7000002L, "buffer too small");
    put(m, 0xC7000003L, "incompatible API version");
    put(m, 0xC7000004L, "operation not supported");
    put(m, 0xC7000005L, "unexpected device error");
    put(m, 0xC7000006L, "unexpected client error");
    put(m, 0xC7000007L, "device crypto error");
    put(m, 0xC7000008L, "client crypto error");
    put(m, 0xC7000009L, "library not initialized");
    put(m, 0xC700000AL, "value out of range");
    put(m, 0xC7000010L, "out of memory");
    // connection
    put(m, 0xC7000100L, "communication failure");
    put(m, 0xC7000101L, "timed out");
    put(m, 0xC7000102L, "connection refused");
    put(m, 0xC7000103L, "connection closed");
    // authentication
    put(m, 0xC7000300L, "authentication failed", null,
        "open the session with the admin key the unit was claimed with, and a valid IAM token");
    put(m, 0xC7000301L, "user already authenticated");
    put(m, 0xC7000302L, "insufficient permissions", null,
        "open the session as the unit's admin (the key that claimed the unit)");
    put(m, 0xC7000303L, "lockout prevented");
    put(m, 0xC7000306L, "authentication key missing");
    put(m, 0xC7000307L, "certificate chain verification failed");
    // session
    put(m, 0xC7000600L, "invalid session");
    put(m, 0xC7000601L, "session in the wrong state");
    put(m, 0xC7000602L, "session not connected", true, "open a new session and retry");
    // users
    put(m, 0xC7000C00L, "unknown user");
    put(m, 0xC7000C01L, "user exists");
    put(m, 0xC7000C02L, "invalid user name");
    put(m, 0xC7000C03L, "user limit reached");
    put(m, 0xC7000C05L, "invalid credentials");
    // service
    put(m, 0xB1B39C40L, "bad request parameters");
    put(m, 0xB1B39C41L, "bad request body");
    put(m, 0xB1B39C42L, "bad Content-Length");
    put(m, 0xB1B39C45L, "bad request body");
    put(m, 0xB1B39C46L, "bad request headers");
    put(m, 0xB1B39CA4L, "not authorized for this operation", null,
        "check that the IAM identity may manage this Key Protect instance");
    put(m, 0xB1B39DD0L, "not found");
    put(m, 0xB1B39DD1L, "crypto unit not found", null,
        "list the instance's crypto units again and use one of their ids");
    put(m, 0xB1B39FC4L, "conflict with the unit's current state");
    put(m, 0xB1B39FC5L, "the unit must be claimed first", null,
        "claim the unit with the admin key first, then run again");
    put(m, 0xB1B3C350L, "internal error at the service", true, "retry later");
    // key files
    put(m, 0xB9061003L, "cannot open the key file");
    put(m, 0xB9061004L, "unknown key file type");
    put(m, 0xB9061005L, "cannot read the key file");
    put(m, 0xB9061006L, "cannot write the key file", null,
        "check that the key file's folder exists and is writable, and that no file of that name "
            + "exists");
    put(m, 0xB9061007L, "wrong .tok key file format");
    put(m, 0xB9061008L, "wrong .key key file format");
    put(m, 0xB9061009L, "wrong key file name");
    put(m, 0xB906100EL, "cannot decrypt the key file");
    // HTTP/TLS
    put(m, 0xB9032001L, "cannot connect to the server", true,
        "check network access to the instance endpoint on port 443 and retry");
    put(m, 0xB9032002L, "answer could not be parsed", true, null);
    put(m, 0xB9032003L, "host name could not be resolved", true,
        "check the instance endpoint and DNS; a private endpoint only resolves inside IBM Cloud");
    put(m, 0xB9032006L, "TLS handshake failed");
    put(m, 0xB9032007L, "TLS CA file could not be loaded");
    // IAM
    put(m, 0x00000008L, "no valid IAM token");
    return Map.copyOf(m);
  }
}
