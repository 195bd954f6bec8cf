package io.kpdedicated.nativehsm;

import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code CreateSessionC} needs to open an admin session on one crypto unit, besides the IAM
 * token (given to {@link NativeHsm#openSession(SessionParameters, String)} separately because it
 * changes). The passphrase is read, never destroyed, by this SDK.
 *
 * @param endpoint the instance URL with scheme, e.g. {@code https://<guid>.api.us-south.kms.appdomain.cloud}
 * @param port the port, {@value NativeHsm#PORT} for the real service
 * @param instanceId the instance GUID
 * @param unitId the crypto unit id
 * @param username the admin user name, {@value NativeHsm#ADMIN_USER}
 * @param adminKeyFile the admin's {@code .key} file
 * @param adminPassphrase the key file's passphrase, or null when the file has none (passed as C
 *     {@code NULL})
 */
public record SessionParameters(String endpoint, int port, String instanceId, String unitId,
    String username, Path adminKeyFile, Passphrase adminPassphrase) {

  /**
   * Validates the fields.
   *
   * @param endpoint the instance URL with scheme, e.g.
   *     {@code https://<guid>.api.us-south.kms.appdomain.cloud}
   * @param port the port, {@value NativeHsm#PORT} for the real service
   * @param instanceId the instance GUID
   * @param unitId the crypto unit id
   * @param username the admin user name, {@value NativeHsm#ADMIN_USER}
   * @param adminKeyFile the admin's {@code .key} file
   * @param adminPassphrase the key file's passphrase, or null when the file has none (passed as C
   *     {@code NULL})
   */
  public SessionParameters {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(unitId, "unitId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(adminKeyFile, "adminKeyFile");
    if (!endpoint.startsWith("https://") && !endpoint.startsWith("http://")) {
      throw new IllegalArgumentException("endpoint must be the instance URL with its scheme, e.g. "
          + "https://<instance>.api.us-south.kms.appdomain.cloud; got " + endpoint);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
    if (instanceId.isBlank() || unitId.isBlank() || username.isBlank()) {
      throw new IllegalArgumentException("instanceId, unitId and username must not be blank");
    }
  }

  /**
   * Returns the parameters IBM's client uses: port {@value NativeHsm#PORT}, user
   * {@value NativeHsm#ADMIN_USER}.
   *
   * @param endpoint the instance URL with scheme
   * @param instanceId the instance GUID
   * @param unitId the crypto unit id
   * @param adminKeyFile the admin's {@code .key} file
   * @param adminPassphrase its passphrase, or null
   * @return the parameters
   */
  public static SessionParameters of(String endpoint, String instanceId, String unitId,
      Path adminKeyFile, Passphrase adminPassphrase) {
    return new SessionParameters(endpoint, NativeHsm.PORT, instanceId, unitId,
        NativeHsm.ADMIN_USER, adminKeyFile, adminPassphrase);
  }

  @Override
  public String toString() {
    return "SessionParameters[endpoint=" + endpoint + ", port=" + port + ", instanceId="
        + instanceId + ", unitId=" + unitId + ", username=" + username + ", adminKeyFile="
        + adminKeyFile + ", adminPassphrase=" + (adminPassphrase == null ? "none" : "***") + "]";
  }
}
