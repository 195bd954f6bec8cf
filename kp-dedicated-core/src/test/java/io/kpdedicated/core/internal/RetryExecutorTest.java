package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.fakes.ManualClock;
import io.kpdedicated.core.fakes.RecordingListener;
import io.kpdedicated.core.fakes.RecordingSleeper;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RetryExecutorTest {
  private final ManualClock clock = new ManualClock();
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final RecordingListener listener = new RecordingListener();
  private final Events events = new Events(listener);

  private static final RetryPolicy EXACT =
      new RetryPolicy(5, Duration.ofMillis(100), 2.0, Duration.ofMillis(500), 0.0);

  private final RetryRegistry registry = RetryRegistry.ofDefaults();

  private RetryExecutor executor(RetryPolicy policy) {
    return new RetryExecutor(policy.toRetryConfig(), registry, sleeper, events);
  }

  private static ServiceException unavailable() {
    return ServiceException.builder(Operation.CLAIM, FailureKind.UNAVAILABLE, "service unavailable").unitId("u1")
        .build();
  }

  /** A call that fails with the given failures in order, then returns "ok". */
  private static Supplier<String> failing(AtomicInteger calls, RuntimeException... failures) {
    Deque<RuntimeException> queue = new ArrayDeque<>(List.of(failures));
    return () -> {
      calls.incrementAndGet();
      RuntimeException next = queue.poll();
      if (next != null) {
        throw next;
      }
      return "ok";
    };
  }

  @Test
  void waitsExponentiallyGrowingCappedDelaysBetweenRetries() {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger attempts = new AtomicInteger();
    String result = executor(EXACT).call(Step.CLAIM, "u1", attempts,
        failing(calls, unavailable(), unavailable(), unavailable(), unavailable()));

    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(5);
    assertThat(attempts).hasValue(5);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(400), Duration.ofMillis(500));
  }

  @Test
  void publishesARetryingEventWithAttemptAndDelayForEachRetry() {
    executor(EXACT).call(Step.IMPORT_MASTER_KEY, "u2", new AtomicInteger(),
        failing(new AtomicInteger(), unavailable(), unavailable()));

    List<InitializationEvent.Retrying> retries = listener.of(InitializationEvent.Retrying.class);
    assertThat(retries).extracting(InitializationEvent.Retrying::attempt).containsExactly(1, 2);
    assertThat(retries).extracting(InitializationEvent.Retrying::delay)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(retries).allSatisfy(r -> {
      assertThat(r.step()).isEqualTo(Step.IMPORT_MASTER_KEY);
      assertThat(r.unitId()).isEqualTo("u2");
      assertThat(r.cause()).isInstanceOf(ServiceException.class);
    });
  }

  @Test
  void honoursRetryAfterWhenItIsLongerThanTheBackoff() {
    ServiceException throttled = ServiceException.builder(Operation.CLAIM, FailureKind.RATE_LIMITED, "slow down")
        .retryAfter(Duration.ofSeconds(7)).build();
    executor(EXACT).call(Step.CLAIM, "u1", new AtomicInteger(),
        failing(new AtomicInteger(), throttled, unavailable()));

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(7), Duration.ofMillis(200));
  }

  @Test
  void keepsTheBackoffWhenRetryAfterIsShorter() {
    ServiceException throttled = ServiceException.builder(Operation.CLAIM, FailureKind.RATE_LIMITED, "slow down")
        .retryAfter(Duration.ofMillis(10)).build();
    executor(EXACT).call(Step.CLAIM, "u1", new AtomicInteger(),
        failing(new AtomicInteger(), throttled));

    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void doesNotRetryANonRetryableFailure() {
    AtomicInteger calls = new AtomicInteger();
    ServiceException conflict = ServiceException.builder(Operation.CLAIM, FailureKind.ALREADY_EXISTS, "already claimed")
        .build();

    assertThatThrownBy(() -> executor(EXACT).call(Step.CLAIM, "u1", new AtomicInteger(),
        failing(calls, conflict))).isSameAs(conflict);
    assertThat(calls).hasValue(1);
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(listener.events()).isEmpty();
  }

  @Test
  void doesNotRetryExceptionsThatAreNotSdkExceptions() {
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException bug = new IllegalStateException("bug");

    assertThatThrownBy(() -> executor(EXACT).call(Step.CLAIM, "u1", new AtomicInteger(),
        failing(calls, bug))).isSameAs(bug);
    assertThat(calls).hasValue(1);
  }

  @Test
  void givesUpWithTheLastFailureWhenAttemptsAreExhausted() {
    AtomicInteger calls = new AtomicInteger();
    TransportException last = new TransportException(Operation.LIST_UNITS, null, "reset", null,
        true, null);
    RetryPolicy three = EXACT.withMaxAttempts(3);

    assertThatThrownBy(() -> executor(three).call(Step.LIST_UNITS, null, new AtomicInteger(),
        failing(calls, unavailable(), unavailable(), last, unavailable()))).isSameAs(last);
    assertThat(calls).hasValue(3);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void spreadsDelaysWithinTheJitterBand() {
    RetryPolicy jittery = new RetryPolicy(2, Duration.ofMillis(1000), 2.0, Duration.ofSeconds(10),
        0.25);
    for (int i = 0; i < 50; i++) {
      executor(jittery).call(Step.CLAIM, "u1", new AtomicInteger(),
          failing(new AtomicInteger(), unavailable()));
    }
    assertThat(sleeper.sleeps()).hasSize(50)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(750), Duration.ofMillis(1250)));
    assertThat(sleeper.sleeps().stream().distinct().count()).isGreaterThan(1);
  }

  @Test
  void acceptsAUserResilience4jConfigAndNarrowsItToRetryableFailures() {
    RetryConfig user = RetryConfig.custom().maxAttempts(3)
        .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(50), 3.0))
        .build();
    RetryExecutor executor = new RetryExecutor(user, registry, sleeper, events);
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> executor.call(Step.CLAIM, "u1", new AtomicInteger(),
        failing(calls, unavailable(), unavailable(), unavailable()))).isInstanceOf(
            ServiceException.class);
    assertThat(calls).hasValue(3);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(150));

    AtomicInteger once = new AtomicInteger();
    KpDedicatedException permanent = new KpDedicatedException("no", null);
    assertThatThrownBy(() -> executor.call(Step.CLAIM, "u1", new AtomicInteger(),
        failing(once, permanent))).isSameAs(permanent);
    assertThat(once).hasValue(1);
  }

  @Test
  void aUserPredicateCanRefuseRetriesOfRetryableFailures() {
    RetryConfig user = RetryConfig.custom().maxAttempts(4)
        .retryOnException(t -> !(t instanceof TransportException)).build();
    RetryExecutor executor = new RetryExecutor(user, registry, sleeper, events);
    AtomicInteger calls = new AtomicInteger();
    TransportException drop = new TransportException(Operation.CLAIM, "u1", "reset", null, true,
        null);

    assertThatThrownBy(() -> executor.call(Step.CLAIM, "u1", new AtomicInteger(),
        failing(calls, drop))).isSameAs(drop);
    assertThat(calls).hasValue(1);
  }

  @Test
  void usesOneResilience4jRetryPerKindOfOperationAndCountsItsCalls() {
    RetryExecutor executor = executor(EXACT);
    executor.call(Step.CLAIM, "u1", new AtomicInteger(), failing(new AtomicInteger(),
        unavailable()));
    executor.call(Step.CLAIM, "u2", new AtomicInteger(), failing(new AtomicInteger()));

    io.github.resilience4j.retry.Retry claim = registry.retry("kp-dedicated-claim");
    assertThat(claim.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    assertThat(claim.getMetrics().getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1);
    assertThat(registry.retry("kp-dedicated-verify")).isNotSameAs(claim);
    assertThat(registry.getAllRetries()).extracting(r -> r.getName())
        .contains("kp-dedicated-import-master-key", "kp-dedicated-survey-keys");
  }

  @Test
  void reportsAnInterruptedWaitAsARetryableFailureAndKeepsTheInterruptFlag() {
    RetryExecutor executor = new RetryExecutor(EXACT.toRetryConfig(), registry,
        d -> {
          throw new InterruptedException();
        }, events);
    try {
      assertThatThrownBy(() -> executor.call(Step.CLAIM, "u1", new AtomicInteger(),
          failing(new AtomicInteger(), unavailable())))
          .isInstanceOf(KpDedicatedException.class)
          .hasMessageContaining("interrupted")
          .satisfies(e -> assertThat(((KpDedicatedException) e).retryable()).isTrue());
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void keepsTheUsersRetryOnResultFailAfterMaxAttemptsAndConsumers() {
    List<Object> consumed = new java.util.ArrayList<>();
    RetryConfig user = RetryConfig.<String>custom().maxAttempts(3)
        .retryOnResult(r -> r.equals("busy"))
        .failAfterMaxAttempts(true)
        .consumeResultBeforeRetryAttempt((attempt, r) -> consumed.add(r))
        .waitDuration(Duration.ofMillis(20))
        .build();
    RetryExecutor executor = new RetryExecutor(user, registry, sleeper, events);
    Deque<String> answers = new ArrayDeque<>(List.of("busy", "busy", "ok"));

    assertThat(executor.call(Step.LIST_UNITS, null, new AtomicInteger(), answers::poll))
        .isEqualTo("ok");
    assertThat(consumed).containsExactly("busy", "busy");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(20), Duration.ofMillis(20));

    Deque<String> never = new ArrayDeque<>(List.of("busy", "busy", "busy"));
    assertThatThrownBy(() -> executor.call(Step.LIST_UNITS, null, new AtomicInteger(),
        never::poll)).isInstanceOf(
            io.github.resilience4j.retry.MaxRetriesExceededException.class);
  }

  @Test
  void retriesComeFromTheCallersRegistrySoItsConsumersSeeThem() {
    List<String> seen = new java.util.ArrayList<>();
    registry.getEventPublisher().onEntryAdded(e -> e.getAddedEntry().getEventPublisher()
        .onRetry(r -> seen.add(r.getName() + "#" + r.getNumberOfRetryAttempts())));

    executor(EXACT).call(Step.CLAIM, "u1", new AtomicInteger(),
        failing(new AtomicInteger(), unavailable()));

    assertThat(seen).containsExactly("kp-dedicated-claim#1");
  }
}
