package io.kpdedicated.http;

import io.kpdedicated.core.model.InstanceTarget;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Key Protect Dedicated instance endpoint of the standard form
 * {@code https://<instance-id>.api[.private].<region>.kms.appdomain.cloud}.
 *
 * @param uri the endpoint, without trailing slash
 * @param instanceId the instance id (GUID) named by the host
 * @param region the region, e.g. {@code us-south}
 * @param privateEndpoint whether it is the private ({@code .api.private.}) endpoint, reachable only
 *     from IBM Cloud's private network
 */
public record KpEndpoint(URI uri, String instanceId, String region, boolean privateEndpoint) {
  private static final Pattern HOST = Pattern.compile(
      "^(?<id>[a-z0-9][a-z0-9-]*)\\.api\\.(?<private>private\\.)?(?<region>[a-z]{2}-[a-z0-9-]+)"
          + "\\.kms\\.appdomain\\.cloud$");

  /**
   * Validates the fields.
   *
   * @param uri the endpoint, without trailing slash
   * @param instanceId the instance id (GUID) named by the host
   * @param region the region, e.g. {@code us-south}
   * @param privateEndpoint whether it is the private ({@code .api.private.}) endpoint, reachable only
   *     from IBM Cloud's private network
   */
  public KpEndpoint {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(region, "region");
  }

  /**
   * Parses and validates an endpoint.
   *
   * @param uri the endpoint
   * @return the parsed endpoint
   * @throws IllegalArgumentException if it is not https, has a path, query or port, or its host is
   *     not {@code <id>.api[.private].<region>.kms.appdomain.cloud} (the message shows the form)
   */
  public static KpEndpoint parse(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String problem = problem(uri);
    if (problem != null) {
      throw new IllegalArgumentException("not a Key Protect Dedicated endpoint: " + uri + " ("
          + problem + "); expected https://<instance-id>.api[.private].<region>.kms.appdomain.cloud");
    }
    Matcher m = HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalStateException("unreachable");
    }
    URI clean = URI.create("https://" + uri.getHost().toLowerCase(Locale.ROOT));
    return new KpEndpoint(clean, m.group("id"), m.group("region"), m.group("private") != null);
  }

  /**
   * Parses an endpoint if it has the standard form.
   *
   * @param uri the endpoint, may be null
   * @return the parsed endpoint, or empty
   */
  public static Optional<KpEndpoint> tryParse(URI uri) {
    if (uri == null || problem(uri) != null) {
      return Optional.empty();
    }
    return Optional.of(parse(uri));
  }

  /**
   * Builds the endpoint of an instance.
   *
   * @param instanceId the instance GUID
   * @param region the region, e.g. {@code us-south}
   * @param privateEndpoint whether to build the private endpoint
   * @return the endpoint
   * @throws IllegalArgumentException if the parts do not form a valid endpoint
   */
  public static KpEndpoint of(String instanceId, String region, boolean privateEndpoint) {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(region, "region");
    return parse(URI.create("https://" + instanceId + ".api." + (privateEndpoint ? "private." : "")
        + region + ".kms.appdomain.cloud"));
  }

  /** {@return the public endpoint of the same instance (this one if it is public)} */
  public KpEndpoint toPublic() {
    return privateEndpoint ? of(instanceId, region, false) : this;
  }

  /** {@return the target for crypto-unit calls: this endpoint and its instance id} */
  public InstanceTarget target() {
    return new InstanceTarget(uri, instanceId);
  }

  private static String problem(URI uri) {
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      return "must use https";
    }
    if (uri.getHost() == null) {
      return "no host";
    }
    if (uri.getPort() != -1 && uri.getPort() != 443) {
      return "unexpected port " + uri.getPort();
    }
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      return "unexpected path " + path;
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      return "unexpected query, fragment or user info";
    }
    if (!HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches()) {
      return "unexpected host " + uri.getHost();
    }
    return null;
  }
}
