package io.kpdedicated.core.model;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A Key Protect Dedicated service instance as the Resource Controller describes it.
 *
 * @param id the instance id (the CRN, as the Resource Controller uses it)
 * @param guid the instance GUID (sent as {@code Bluemix-Instance} / {@code Instance-ID})
 * @param crn the CRN
 * @param name the instance name
 * @param state the parsed state
 * @param rawState the state text as sent (never null)
 * @param region the region id, or {@code null} if not reported
 * @param publicEndpoint the public crypto-unit API endpoint, or {@code null} until known
 * @param privateEndpoint the private endpoint, or {@code null} if none
 * @param cryptoUnits the crypto unit count, or 0 if not reported
 * @param lastOperation a short description of the last operation, or {@code null}
 */
public record ServiceInstance(
    String id,
    String guid,
    String crn,
    String name,
    InstanceState state,
    String rawState,
    String region,
    URI publicEndpoint,
    URI privateEndpoint,
    int cryptoUnits,
    String lastOperation) {

  /**
   * Validates the required fields.
   *
   * @param id the instance id (the CRN, as the Resource Controller uses it)
   * @param guid the instance GUID (sent as {@code Bluemix-Instance} / {@code Instance-ID})
   * @param crn the CRN
   * @param name the instance name
   * @param state the parsed state
   * @param rawState the state text as sent (never null)
   * @param region the region id, or {@code null} if not reported
   * @param publicEndpoint the public crypto-unit API endpoint, or {@code null} until known
   * @param privateEndpoint the private endpoint, or {@code null} if none
   * @param cryptoUnits the crypto unit count, or 0 if not reported
   * @param lastOperation a short description of the last operation, or {@code null}
   */
  public ServiceInstance {
    CryptoUnit.requireText(id, "id");
    CryptoUnit.requireText(guid, "guid");
    Objects.requireNonNull(crn, "crn");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(rawState, "rawState");
    if (cryptoUnits < 0) {
      throw new IllegalArgumentException("cryptoUnits must not be negative");
    }
  }

  /** {@return the public endpoint if the instance document has one} */
  public Optional<URI> publicEndpointIfKnown() {
    return Optional.ofNullable(publicEndpoint);
  }

  /** {@return the target for crypto-unit calls over the public endpoint, if it is known} */
  public Optional<InstanceTarget> publicTarget() {
    return publicEndpointIfKnown().map(uri -> new InstanceTarget(uri, guid));
  }
}
