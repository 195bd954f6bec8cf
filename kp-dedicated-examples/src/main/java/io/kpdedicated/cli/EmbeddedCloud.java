package io.kpdedicated.cli;

import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;

/**
 * A cloud that runs inside this process, for {@code kpd init} without {@code IBMCLOUD_API_KEY}:
 * nothing leaves the machine. Close it to stop it.
 */
public interface EmbeddedCloud extends AutoCloseable {

  /** Returns a transport to the embedded cloud. */
  DedicatedTransport transport();

  /** Returns what it is, for the one line kpd prints, e.g. "loopback emulator at http://...". */
  String description();

  /** Stops it. */
  @Override
  void close();

  /** Starts embedded clouds. */
  @FunctionalInterface
  interface Factory {
    /**
     * Starts one.
     *
     * @param ctx the command's context (clock, sleeper, randomness)
     * @return a running cloud
     */
    EmbeddedCloud start(CliContext ctx);
  }

  /** Returns a factory of in-memory clouds reached in-process (no HTTP). */
  static Factory inMemory() {
    return ctx -> {
      InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
          .clock(ctx.clock()).sleeper(ctx.sleeper()).secureRandom(ctx.random())
          .provisioningPolls(2).build();
      DedicatedTransport transport = InMemoryTransport.over(cloud);
      return new EmbeddedCloud() {
        @Override
        public DedicatedTransport transport() {
          return transport;
        }

        @Override
        public String description() {
          return "in-memory Key Protect Dedicated cloud";
        }

        @Override
        public void close() {
          // Nothing to stop: the cloud lives in this process's memory only.
        }
      };
    };
  }
}
