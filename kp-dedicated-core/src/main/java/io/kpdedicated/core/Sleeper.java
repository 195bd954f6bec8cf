package io.kpdedicated.core;

import java.time.Duration;

/**
 * Waits for a while. Injected wherever the SDK waits (retry backoff, polling) so that tests never
 * really sleep: pass a fake that advances a fake clock instead.
 */
@FunctionalInterface
public interface Sleeper {

  /** Sleeps with {@link Thread#sleep(long)}. */
  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  /**
   * Waits for {@code duration}.
   *
   * @param duration how long; zero or negative returns at once
   * @throws InterruptedException if the waiting thread is interrupted
   */
  void sleep(Duration duration) throws InterruptedException;
}
