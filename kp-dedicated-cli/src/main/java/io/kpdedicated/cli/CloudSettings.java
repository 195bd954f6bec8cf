package io.kpdedicated.cli;

import java.net.URI;
import java.util.Map;

/**
 * Where the cloud is and how to reach it, as gathered from the environment and the command line.
 *
 * @param apiKey the IBM Cloud API key; never printed
 * @param iamEndpoint the IAM endpoint, or {@code null} for IBM Cloud's
 * @param rcEndpoint the Resource Controller endpoint, or {@code null} for IBM Cloud's
 * @param targetAddr the instance endpoint ({@code KP_TARGET_ADDR}), or {@code null}
 * @param instanceId the instance GUID ({@code KP_INSTANCE_ID}), or {@code null}
 * @param environment all environment variables, for the transport's further settings (plan id,
 *     timeouts, ...; see kp-dedicated-http's README)
 */
public record CloudSettings(String apiKey, URI iamEndpoint, URI rcEndpoint, URI targetAddr,
    String instanceId, Map<String, String> environment) {

  /**
   * Copies the environment.
   *
   * @param apiKey the IBM Cloud API key; never printed
   * @param iamEndpoint the IAM endpoint, or {@code null} for IBM Cloud's
   * @param rcEndpoint the Resource Controller endpoint, or {@code null} for IBM Cloud's
   * @param targetAddr the instance endpoint ({@code KP_TARGET_ADDR}), or {@code null}
   * @param instanceId the instance GUID ({@code KP_INSTANCE_ID}), or {@code null}
   * @param environment all environment variables, for the transport's further settings (plan id,
   *     timeouts, ...; see kp-dedicated-http's README)
   */
  public CloudSettings {
    environment = Map.copyOf(environment);
  }

  @Override
  public String toString() {
    return "CloudSettings[iam=" + iamEndpoint + ", rc=" + rcEndpoint + ", target=" + targetAddr
        + ", instance=" + instanceId + ", apiKey=" + (apiKey == null ? "none" : "redacted") + "]";
  }
}
