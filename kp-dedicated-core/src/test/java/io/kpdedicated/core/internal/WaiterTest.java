package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.WaitTimeoutException;
import io.kpdedicated.core.fakes.ManualClock;
import io.kpdedicated.core.fakes.RecordingListener;
import io.kpdedicated.core.fakes.RecordingSleeper;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class WaiterTest {
  private final ManualClock clock = new ManualClock();
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final RecordingListener listener = new RecordingListener();
  private final Waiter waiter = new Waiter(clock, sleeper, new Events(listener));
  private final WaitPolicy policy =
      new WaitPolicy(Duration.ofSeconds(1), Duration.ofSeconds(4), 2.0, Duration.ofSeconds(20));

  private static Supplier<String> states(String... values) {
    Deque<String> queue = new ArrayDeque<>(List.of(values));
    return () -> queue.size() > 1 ? queue.poll() : queue.peek();
  }

  private static Waiter.Observation<String> activeIsDone(String s) {
    if (s.equals("failed")) {
      throw new IllegalStateException("terminal");
    }
    return s.equals("active") ? Waiter.Observation.done(s, s) : Waiter.Observation.notYet(s, s);
  }

  @Test
  void pollsWithGrowingIntervalsUntilDone() {
    AtomicInteger attempts = new AtomicInteger();
    String result = waiter.await(Step.WAIT_ACTIVE, null, "x", policy, attempts,
        states("provisioning", "provisioning", "provisioning", "provisioning", "active"),
        WaiterTest::activeIsDone);

    assertThat(result).isEqualTo("active");
    assertThat(attempts).hasValue(5);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(4), Duration.ofSeconds(4));
    assertThat(listener.of(InitializationEvent.Waiting.class))
        .extracting(InitializationEvent.Waiting::state).containsOnly("provisioning");
  }

  @Test
  void timesOutReportingPollsElapsedTimeAndLastState() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> waiter.await(Step.WAIT_ACTIVE, null, "instance i1 to become active",
        policy, attempts, states("provisioning"), WaiterTest::activeIsDone))
        .isInstanceOfSatisfying(WaitTimeoutException.class, e -> {
          assertThat(e.attempts()).isEqualTo(attempts.get());
          assertThat(e.elapsed()).isEqualTo(Duration.ofSeconds(20));
          assertThat(e.lastState()).isEqualTo("provisioning");
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("instance i1 to become active")
              .contains(e.attempts() + " polls");
        });
    // 1 + 2 + 4 + 4 + 4 + 4 = 19 s, then the last second, then a final poll at the deadline
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(4),
        Duration.ofSeconds(1));
    assertThat(attempts).hasValue(8);
  }

  @Test
  void stopsAtOnceForATerminalState() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> waiter.await(Step.WAIT_ACTIVE, null, "x", policy, attempts,
        states("provisioning", "failed"), WaiterTest::activeIsDone))
        .hasMessage("terminal");
    assertThat(attempts).hasValue(2);
  }

  @Test
  void treatsRetryableReadFailuresAsNotReadyYet() {
    Deque<Object> answers = new ArrayDeque<>(List.of(
        ServiceException.builder(Operation.GET_INSTANCE, FailureKind.UNAVAILABLE, "busy").build(),
        "active"));
    String result = waiter.await(Step.WAIT_ACTIVE, null, "x", policy, new AtomicInteger(),
        () -> {
          Object next = answers.poll();
          if (next instanceof RuntimeException e) {
            throw e;
          }
          return (String) next;
        }, WaiterTest::activeIsDone);

    assertThat(result).isEqualTo("active");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void propagatesANonRetryableReadFailure() {
    ServiceException notFound = ServiceException.builder(Operation.GET_INSTANCE, FailureKind.NOT_FOUND, "gone")
        .build();
    assertThatThrownBy(() -> waiter.await(Step.WAIT_ACTIVE, null, "x", policy,
        new AtomicInteger(), () -> {
          throw notFound;
        }, WaiterTest::activeIsDone)).isSameAs(notFound);
  }
}
