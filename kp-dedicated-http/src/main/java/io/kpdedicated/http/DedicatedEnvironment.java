package io.kpdedicated.http;

import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.http.internal.Endpoints;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The environment variables the SDK, its command line and the loopback emulator agree on, and a
 * helper that reads an instance target from them. Reads only the map it is given (pass
 * {@code System.getenv()} in production and a plain map in tests). Stateless.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>name</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code IBMCLOUD_API_KEY}</td><td>API key exchanged for IAM tokens</td><td>required</td></tr>
 *   <tr><td>{@code IBMCLOUD_IAM_ENDPOINT}</td><td>IAM endpoint ({@code IBMCLOUD_IAM_API_ENDPOINT}, the Go
 *       client's name, is read too)</td><td>{@code https://iam.cloud.ibm.com}</td></tr>
 *   <tr><td>{@code IBMCLOUD_RC_ENDPOINT}</td><td>Resource Controller endpoint</td>
 *       <td>{@code https://resource-controller.cloud.ibm.com}</td></tr>
 *   <tr><td>{@code IBMCLOUD_RM_ENDPOINT}</td><td>Resource Manager endpoint (resource groups)</td>
 *       <td>the Resource Controller endpoint</td></tr>
 *   <tr><td>{@code IBMCLOUD_GC_ENDPOINT}</td><td>Global Catalog endpoint (plan id lookup)</td>
 *       <td>{@code https://globalcatalog.cloud.ibm.com}</td></tr>
 *   <tr><td>{@code KP_DEDICATED_PLAN_ID}</td><td>plan id of {@code kms}/{@code dedicated}; skips the
 *       catalog lookup</td><td>looked up</td></tr>
 *   <tr><td>{@code KP_RESOURCE_GROUP}</td><td>resource group name for new instances</td>
 *       <td>the account's default group</td></tr>
 *   <tr><td>{@code KP_TARGET_ADDR}</td><td>instance endpoint, e.g.
 *       {@code https://<id>.api.us-south.kms.appdomain.cloud}</td><td>none</td></tr>
 *   <tr><td>{@code KP_INSTANCE_ID}</td><td>instance GUID</td><td>parsed from {@code KP_TARGET_ADDR}</td></tr>
 *   <tr><td>{@code KP_CONNECT_TIMEOUT_SECONDS}</td><td>connect timeout</td><td>10</td></tr>
 *   <tr><td>{@code KP_REQUEST_TIMEOUT_SECONDS}</td><td>request timeout</td><td>60</td></tr>
 * </table>
 */
public final class DedicatedEnvironment {
  private DedicatedEnvironment() {}

  /** API key exchanged for IAM tokens. */
  public static final String API_KEY = "IBMCLOUD_API_KEY";
  /** IAM endpoint. */
  public static final String IAM_ENDPOINT = "IBMCLOUD_IAM_ENDPOINT";
  /** IAM endpoint under the name IBM's Go client reads; used when {@link #IAM_ENDPOINT} is unset. */
  public static final String IAM_API_ENDPOINT = "IBMCLOUD_IAM_API_ENDPOINT";
  /** Resource Controller endpoint. */
  public static final String RC_ENDPOINT = "IBMCLOUD_RC_ENDPOINT";
  /** Resource Manager endpoint. */
  public static final String RM_ENDPOINT = "IBMCLOUD_RM_ENDPOINT";
  /** Global Catalog endpoint. */
  public static final String GC_ENDPOINT = "IBMCLOUD_GC_ENDPOINT";
  /** Plan id of kms/dedicated. */
  public static final String PLAN_ID = "KP_DEDICATED_PLAN_ID";
  /** Resource group name. */
  public static final String RESOURCE_GROUP = "KP_RESOURCE_GROUP";
  /** Instance endpoint. */
  public static final String TARGET_ADDR = "KP_TARGET_ADDR";
  /** Instance GUID. */
  public static final String INSTANCE_ID = "KP_INSTANCE_ID";
  /** Connect timeout in seconds. */
  public static final String CONNECT_TIMEOUT_SECONDS = "KP_CONNECT_TIMEOUT_SECONDS";
  /** Request timeout in seconds. */
  public static final String REQUEST_TIMEOUT_SECONDS = "KP_REQUEST_TIMEOUT_SECONDS";

  /**
   * Reads the instance target from {@code KP_TARGET_ADDR} and {@code KP_INSTANCE_ID}.
   *
   * <p>The GUID comes from {@code KP_INSTANCE_ID}, or else from the endpoint's host when it has the
   * standard form {@code https://<id>.api[.private].<region>.kms.appdomain.cloud}. Plain http is
   * accepted only to a loopback address.
   *
   * @param env the environment
   * @return the target, or empty when {@code KP_TARGET_ADDR} is unset or blank
   * @throws IllegalArgumentException if the address is not an allowed URL, the GUID cannot be
   *     determined, or {@code KP_INSTANCE_ID} contradicts the endpoint's host
   */
  public static Optional<InstanceTarget> target(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String addr = value(env, TARGET_ADDR);
    if (addr == null) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = URI.create(addr);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(TARGET_ADDR + " is not a URL: " + addr, e);
    }
    uri = Endpoints.requireAllowed(uri, TARGET_ADDR);
    String id = value(env, INSTANCE_ID);
    Optional<KpEndpoint> parsed = KpEndpoint.tryParse(uri);
    if (id == null) {
      if (parsed.isEmpty()) {
        throw new IllegalArgumentException(INSTANCE_ID + " is not set and " + TARGET_ADDR + " ("
            + addr + ") does not name the instance; set " + INSTANCE_ID + " to the instance GUID");
      }
      id = parsed.get().instanceId();
    } else if (parsed.isPresent() && !parsed.get().instanceId().equalsIgnoreCase(id)) {
      throw new IllegalArgumentException(INSTANCE_ID + " (" + id + ") does not match the instance in "
          + TARGET_ADDR + " (" + parsed.get().instanceId() + "); fix one of them");
    }
    return Optional.of(new InstanceTarget(uri, id));
  }

  /**
   * Returns a variable's trimmed value, or null when it is unset or blank.
   *
   * @param env the environment
   * @param name the variable
   * @return the value or null
   */
  public static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
