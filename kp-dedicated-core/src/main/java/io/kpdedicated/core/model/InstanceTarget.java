package io.kpdedicated.core.model;

import java.net.URI;
import java.util.Objects;

/**
 * Where crypto-unit calls go: the instance endpoint and the instance GUID sent with every call.
 *
 * @param endpoint the instance endpoint, e.g. {@code https://<id>.api.us-south.kms.appdomain.cloud}
 * @param instanceGuid the instance GUID
 */
public record InstanceTarget(URI endpoint, String instanceGuid) {
  /**
   * Validates the fields.
   *
   * @param endpoint the instance endpoint, e.g.
   *     {@code https://<id>.api.us-south.kms.appdomain.cloud}
   * @param instanceGuid the instance GUID
   */
  public InstanceTarget {
    Objects.requireNonNull(endpoint, "endpoint");
    CryptoUnit.requireText(instanceGuid, "instanceGuid");
    if (!endpoint.isAbsolute()) {
      throw new IllegalArgumentException("endpoint must be an absolute URI, got " + endpoint);
    }
  }

  /** {@return whether the endpoint is a private ({@code .api.private.}) endpoint} */
  public boolean isPrivateEndpoint() {
    String host = endpoint.getHost();
    return host != null && host.contains(".api.private.");
  }
}
