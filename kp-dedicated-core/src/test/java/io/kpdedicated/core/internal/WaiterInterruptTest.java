package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.fakes.ManualClock;
import io.kpdedicated.core.fakes.RecordingListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaiterInterruptTest {

  @Test
  void anInterruptedWaitStopsWithARetryableFailureAndKeepsTheInterrupt() {
    Waiter waiter = new Waiter(new ManualClock(), d -> {
      throw new InterruptedException("stop");
    }, new Events(new RecordingListener()));
    WaitPolicy policy = new WaitPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0,
        Duration.ofSeconds(10));

    InitializationException e;
    try {
      e = catchThrowableOfType(InitializationException.class, () -> waiter.await(
          Step.WAIT_ACTIVE, null, "instance to become active", policy, new AtomicInteger(),
          () -> "provisioning", s -> Waiter.Observation.notYet(s, s)));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted(); // leave the test thread as it was
    }
    assertThat(e).hasMessage("interrupted while waiting for instance to become active")
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(e.retryable()).isTrue();
  }
}
