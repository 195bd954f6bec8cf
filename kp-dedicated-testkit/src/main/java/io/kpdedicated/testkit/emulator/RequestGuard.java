package io.kpdedicated.testkit.emulator;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor of the emulator's HTTP server: a bounded pool of worker threads plus a deadline on
 * reading each request.
 *
 * <p>The JDK server hands a connection to a worker as soon as its first byte arrives; the worker
 * then reads the request line, the headers and (in the handler) the body with blocking reads. A
 * client that sends half a request and stops would hold that worker forever. Here every task is
 * watched: if the handler has not reported the request read ({@link #requestRead()}) within the
 * deadline, the worker is interrupted, which closes the connection (its channel is interruptible)
 * and frees the worker. Time is the machine's monotonic clock, not the cloud's, since it guards
 * real sockets.
 *
 * <p>The pool has at most {@code threads} workers (idle ones end after 30 s) and a queue of
 * {@value #QUEUE} connections; beyond that a connection is closed at once instead of waiting.
 * Thread-safe.
 */
final class RequestGuard implements Executor {
  static final int QUEUE = 256;
  private static final System.Logger LOG = System.getLogger("io.kpdedicated.testkit.emulator");
  private static final ThreadLocal<Task> CURRENT = new ThreadLocal<>();

  private enum Phase { READING, HANDLING, TIMED_OUT, DONE }

  private final class Task implements Runnable {
    private final Runnable work;
    private Thread thread;
    private long startNanos;
    private Phase phase = Phase.READING;

    Task(Runnable work) {
      this.work = work;
    }

    @Override
    public void run() {
      synchronized (this) {
        thread = Thread.currentThread();
        startNanos = System.nanoTime();
      }
      watched.add(this);
      CURRENT.set(this);
      try {
        work.run();
      } finally {
        CURRENT.remove();
        watched.remove(this);
        synchronized (this) {
          phase = Phase.DONE;
          thread = null;
        }
        // An interrupt meant for the request read must not reach the next task on this thread.
        Thread.interrupted();
      }
    }

    synchronized boolean markRead() {
      if (phase != Phase.READING) {
        return false;
      }
      phase = Phase.HANDLING;
      return true;
    }

    synchronized void checkDeadline(long now) {
      if (phase == Phase.READING && thread != null && now - startNanos >= timeoutNanos) {
        phase = Phase.TIMED_OUT;
        thread.interrupt();
        timedOut.incrementAndGet();
      }
    }
  }

  private final long timeoutNanos;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService watchdog;
  private final Set<Task> watched = ConcurrentHashMap.newKeySet();
  private final AtomicInteger timedOut = new AtomicInteger();

  /**
   * Starts the pool and its watchdog.
   *
   * @param threads the most worker threads
   * @param readTimeout how long a worker may wait for a whole request (line, headers and body)
   * @param name the prefix of the threads' names
   */
  RequestGuard(int threads, Duration readTimeout, String name) {
    this.timeoutNanos = readTimeout.toNanos();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory workers = r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), workers, (r, p) -> {
          throw new RejectedExecutionException("the emulator is busy: " + threads
              + " workers and " + QUEUE + " queued connections");
        });
    pool.allowCoreThreadTimeOut(true);
    watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name + "-watchdog");
      t.setDaemon(true);
      return t;
    });
    long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(timeoutNanos / 4,
        TimeUnit.SECONDS.toNanos(1)));
    watchdog.scheduleAtFixedRate(this::sweep, tick, tick, TimeUnit.NANOSECONDS);
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Task t : watched) {
      t.checkDeadline(now);
    }
  }

  @Override
  public void execute(Runnable command) {
    pool.execute(new Task(command));
  }

  /**
   * Called by the handler once it has the whole request: from now on the worker is not
   * interrupted.
   *
   * @return false if the deadline passed first (the connection is being closed; give up)
   */
  static boolean requestRead() {
    Task t = CURRENT.get();
    return t == null || t.markRead();
  }

  /** Returns how many requests were cut off for being read too slowly. */
  int timedOut() {
    return timedOut.get();
  }

  /** Stops the watchdog and the workers, waiting up to {@code wait} for running ones. */
  void shutdown(Duration wait) {
    watchdog.shutdownNow();
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.log(System.Logger.Level.DEBUG, "emulator workers still busy after {0}", wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
