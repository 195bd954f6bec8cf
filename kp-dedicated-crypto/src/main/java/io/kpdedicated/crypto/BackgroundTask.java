package io.kpdedicated.crypto;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One piece of key derivation on a thread of its own, so that two independent derivations of one
 * file (a PKCS#12 file's key bag and its integrity MAC) use two cores. Package-private.
 *
 * @param <T> the result type
 */
final class BackgroundTask<T> {
  private final FutureTask<T> task;

  private BackgroundTask(FutureTask<T> task) {
    this.task = task;
  }

  /**
   * Starts the work on a new daemon thread.
   *
   * @param name the thread's name
   * @param work the work
   * @param <T> the result type
   * @return the running task
   */
  static <T> BackgroundTask<T> start(String name, Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return new BackgroundTask<>(task);
  }

  /**
   * Waits for the result. An interrupt does not stop the wait (the work uses secrets the caller
   * wipes once this returns); it is kept for the caller to see.
   *
   * @return the result
   * @throws Exception what the work threw, as it threw it
   */
  T join() throws Exception {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof Exception ex) {
            throw ex;
          }
          if (cause instanceof Error error) {
            throw error;
          }
          throw e;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the work to end, ignoring its result or failure (a failure elsewhere came first). */
  void awaitQuietly() {
    try {
      join();
    } catch (Exception ignored) {
      // the caller is already failing for another reason
    }
  }
}
