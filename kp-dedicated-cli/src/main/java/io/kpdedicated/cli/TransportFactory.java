package io.kpdedicated.cli;

import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.http.HttpTransport;
import java.util.Arrays;

/**
 * Makes the transport a command talks to the cloud with, from the settings the command line
 * gathered (environment and options). The default is the REST transport; tests may pass another.
 */
@FunctionalInterface
public interface TransportFactory {

  /**
   * Opens a transport.
   *
   * @param settings where the cloud is and how to authenticate
   * @return a transport; closed by the caller if it is {@link AutoCloseable}
   */
  DedicatedTransport open(CloudSettings settings);

  /**
   * Returns the REST transport over {@code java.net.http}, configured from the environment (every
   * variable of kp-dedicated-http's README) with the command line's endpoint options on top.
   *
   * @return the factory of REST transports
   */
  static TransportFactory http() {
    return settings -> {
      try {
        HttpTransport.Builder b = HttpTransport.builderFromEnvironment(settings.environment());
        if (settings.apiKey() != null) {
          char[] key = settings.apiKey().toCharArray();
          try {
            b.apiKey(key);
          } finally {
            Arrays.fill(key, '\0');
          }
        }
        if (settings.iamEndpoint() != null) {
          b.iamEndpoint(settings.iamEndpoint());
        }
        if (settings.rcEndpoint() != null) {
          b.resourceControllerEndpoint(settings.rcEndpoint());
        }
        return b.build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw CliException.badInput(e.getMessage(), e);
      }
    };
  }
}
