package io.kpdedicated.testkit;

import io.kpdedicated.core.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A clock that moves only when told to, with a {@link Sleeper} that moves it instead of waiting:
 * inject both into the initializer and the in-memory cloud and retries, backoff and provisioning
 * waits take no real time.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at(Instant.parse("2025-01-01T00:00:00Z"));
 * InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
 *     .clock(clock).sleeper(clock.sleeper()).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ManualClock extends Clock {
  private final Object lock;
  private final ZoneId zone;
  private final List<Duration> sleeps;
  private Instant now;

  private ManualClock(Instant start, ZoneId zone, Object lock, List<Duration> sleeps) {
    this.now = start;
    this.zone = zone;
    this.lock = lock;
    this.sleeps = sleeps;
  }

  /**
   * Returns a clock standing at {@code start}, in UTC.
   *
   * @param start the time it shows
   * @return the clock
   */
  public static ManualClock at(Instant start) {
    return new ManualClock(Objects.requireNonNull(start, "start"), ZoneOffset.UTC, new Object(),
        new ArrayList<>());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** Returns a view of this clock in another zone; both move together. */
  @Override
  public Clock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    ManualClock view = this;
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return view.withZone(other);
      }

      @Override
      public Instant instant() {
        return view.instant();
      }
    };
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      return now;
    }
  }

  /**
   * Moves the clock forward.
   *
   * @param duration not negative
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a clock only moves forward");
    }
    synchronized (lock) {
      now = now.plus(duration);
    }
  }

  /**
   * Returns a sleeper that advances this clock by each requested duration (negative ones count as
   * zero) and returns at once; it records every request.
   *
   * @return a sleeper that advances this clock
   */
  public Sleeper sleeper() {
    return duration -> {
      Duration d = duration.isNegative() ? Duration.ZERO : duration;
      synchronized (lock) {
        sleeps.add(d);
        now = now.plus(d);
      }
    };
  }

  /** {@return every duration {@link #sleeper()} was asked to sleep, in order} */
  public List<Duration> sleeps() {
    synchronized (lock) {
      return List.copyOf(sleeps);
    }
  }

  /** {@return the sum of every duration {@link #sleeper()} was asked to sleep} */
  public Duration totalSlept() {
    synchronized (lock) {
      return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}
