package io.kpdedicated.core.fakes;

import io.kpdedicated.core.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A sleeper that records every wait and advances a manual clock instead of sleeping. */
public final class RecordingSleeper implements Sleeper {
  private final ManualClock clock;
  private final List<Duration> sleeps = new ArrayList<>();

  public RecordingSleeper(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    clock.advance(duration);
  }

  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  public synchronized Duration total() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
