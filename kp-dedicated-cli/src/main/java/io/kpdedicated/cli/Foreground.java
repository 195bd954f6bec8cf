package io.kpdedicated.cli;

import java.util.concurrent.CountDownLatch;

/**
 * How a foreground command ({@code kpd emulator}) waits until it is told to stop. The default waits
 * until the process is stopped (Ctrl-C) and then runs the stop action from a shutdown hook; tests
 * pass one that returns when the test is done.
 */
@FunctionalInterface
public interface Foreground {

  /**
   * Blocks until the command should stop, then makes sure {@code onStop} has run.
   *
   * @param onStop what stops the command's server; idempotent
   * @throws InterruptedException if the waiting thread is interrupted
   */
  void serve(Runnable onStop) throws InterruptedException;

  /** {@return the default: wait for the process to be stopped} */
  static Foreground untilProcessStops() {
    return onStop -> {
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        onStop.run();
        stopped.countDown();
      }, "kpd-foreground-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        stopped.await();
      } finally {
        onStop.run();
      }
    };
  }
}
