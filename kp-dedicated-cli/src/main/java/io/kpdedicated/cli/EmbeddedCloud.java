package io.kpdedicated.cli;

import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.http.HttpTransport;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import io.kpdedicated.testkit.emulator.LoopbackEmulator;

/**
 * A cloud that runs inside this process, for {@code kpd init} without {@code IBMCLOUD_API_KEY}:
 * nothing leaves the machine. Close it to stop it.
 */
public interface EmbeddedCloud extends AutoCloseable {

  /** {@return a transport to the embedded cloud} */
  DedicatedTransport transport();

  /**
   * Returns what it is, for the one line kpd prints, e.g. "loopback emulator at http://...".
   *
   * @return a one-line description
   */
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

  /**
   * Returns a factory of loopback emulators (HTTP on {@code 127.0.0.1}, a free port), reached
   * with the REST transport: the same code path as IBM Cloud, nothing leaves the machine.
   *
   * @return the factory
   */
  static Factory loopback() {
    return ctx -> {
      LoopbackEmulator emulator = LoopbackEmulator.builder().clock(ctx.clock())
          .provisioningPolls(2).build().start();
      try {
        HttpTransport transport = HttpTransport.builderFromEnvironment(emulator.environment())
            .clock(ctx.clock()).random(ctx.random()).build();
        return new EmbeddedCloud() {
          @Override
          public DedicatedTransport transport() {
            return transport;
          }

          @Override
          public String description() {
            return "loopback emulator at " + emulator.baseUri();
          }

          @Override
          public void close() {
            emulator.close();
          }
        };
      } catch (RuntimeException e) {
        emulator.close();
        throw e;
      }
    };
  }

  /** {@return a factory of in-memory clouds reached in-process (no HTTP)} */
  static Factory inMemory() {
    return ctx -> {
      InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
          .clock(ctx.clock()).sleeper(ctx.sleeper()).secureRandom(ctx.random())
          .provisioningPolls(2).seed(ctx.random().nextLong()).build();
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
