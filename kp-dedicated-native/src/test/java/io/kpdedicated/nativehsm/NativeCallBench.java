package io.kpdedicated.nativehsm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * A small benchmark over the C stand-in (not a test; run by hand, see the module README):
 * <ol>
 *   <li>time per call: a Java no-op, a plain JNA downcall into C, and a full facade call
 *       ({@code GetCryptoUnitIDC}: C calls back into the Java model, which answers; the result is
 *       read and released with {@code FreeStringC});
 *   <li>throughput of 3 sessions on 3 threads with a simulated HSM latency per call, with calls
 *       serialized (the default) and in parallel.
 * </ol>
 * Arguments: {@code [latencyMillis=5] [callsPerSession=40]}. Needs {@code -Dkpd.standin.dir}.
 */
public final class NativeCallBench {
  private NativeCallBench() {}

  /** A call that does nothing, for the Java baseline. */
  interface Noop {
    long call(long x);
  }

  /**
   * Entry point.
   *
   * @param args latency in ms and calls per session
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    long latencyMs = args.length > 0 ? Long.parseLong(args[0]) : 5;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    IbmKmsCryptoLibrary lib = StandInTestBase.library();
    StandInLibrary control = StandInTestBase.control();
    StandInHsm model = StandInHsm.register(control);
    model.recordCalls(false);
    for (String u : List.of("u1", "u2", "u3")) {
      model.addUnit(u);
    }
    Path key = Files.createTempFile("bench", ".key");
    try {
      NativeHsm serialized = new NativeHsm(lib, true);
      NativeHsm parallel = new NativeHsm(lib, false);

      Noop noop = x -> x + 1;
      System.out.printf(Locale.ROOT, "java no-op call:          %8.1f ns/call%n",
          nsPerCall(2_000_000, () -> noop.call(1)));
      System.out.printf(Locale.ROOT, "JNA downcall (C only):    %8.1f ns/call%n",
          nsPerCall(200_000, control::StandInAllocations));
      try (NativeSession s = serialized.openSession(
          SessionParameters.of("https://x.example", "i", "u1", key, null), "t")) {
        System.out.printf(Locale.ROOT, "facade call + callback:   %8.1f ns/call "
            + "(GetCryptoUnitIDC, result read and freed)%n", nsPerCall(20_000, s::cryptoUnitId));
      }
      model.hook(c -> {
        if (c.fn().equals("ListUsersC")) {
          LockSupport.parkNanos(latencyMs * 1_000_000L);
        }
      });
      for (NativeHsm hsm : List.of(serialized, parallel)) {
        double perSecond = throughput(hsm, key, calls);
        System.out.printf(Locale.ROOT, "3 sessions, %d ms latency, %s: %6.1f calls/s%n", latencyMs,
            hsm.serializesCalls() ? "serialized" : "parallel  ", perSecond);
      }
      System.out.println("leaked result strings: " + model.leaks());
    } finally {
      Files.deleteIfExists(key);
    }
  }

  private static double nsPerCall(int n, Runnable r) {
    for (int i = 0; i < n; i++) {
      r.run();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      r.run();
    }
    return (System.nanoTime() - t0) / (double) n;
  }

  private static double throughput(NativeHsm hsm, Path key, int calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      long t0 = System.nanoTime();
      List<Future<?>> all = new ArrayList<>();
      for (String u : List.of("u1", "u2", "u3")) {
        all.add(pool.submit(() -> {
          try (NativeSession s = hsm.openSession(
              SessionParameters.of("https://x.example", "i", u, key, null), "t")) {
            for (int i = 0; i < calls; i++) {
              s.listUsers();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get();
      }
      return 3.0 * calls / ((System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }
}
