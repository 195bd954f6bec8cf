package io.kpdedicated.cli;

import io.kpdedicated.core.spi.DedicatedTransport;

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

  /** Returns the REST transport over {@code java.net.http}. */
  static TransportFactory http() {
    return settings -> {
      throw CliException.badInput("the REST transport is not available in this build");
    };
  }
}
