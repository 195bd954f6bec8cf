package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.model.InstanceRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoliciesTest {

  @Test
  void retryDelaysGrowByTheMultiplierUpToTheCap() {
    RetryPolicy p = new RetryPolicy(6, Duration.ofMillis(200), 3.0, Duration.ofSeconds(2), 0.0);
    assertThat(p.delayBeforeRetry(1, 0.9)).isEqualTo(Duration.ofMillis(200));
    assertThat(p.delayBeforeRetry(2, 0.1)).isEqualTo(Duration.ofMillis(600));
    assertThat(p.delayBeforeRetry(3, 0.5)).isEqualTo(Duration.ofMillis(1800));
    assertThat(p.delayBeforeRetry(4, 0.5)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void jitterSpreadsTheDelaySymmetrically() {
    RetryPolicy p = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.5);
    assertThat(p.delayBeforeRetry(1, 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.delayBeforeRetry(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.delayBeforeRetry(1, 0.75)).isEqualTo(Duration.ofMillis(1250));
  }

  @Test
  void theRandomDrawMayBeZeroButNotOne() {
    RetryPolicy p = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.5);
    assertThat(p.delayBeforeRetry(1, Math.nextDown(1.0))).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> p.delayBeforeRetry(1, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unitRandom must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> p.delayBeforeRetry(1, -0.01))
        .hasMessage("unitRandom must be in [0, 1), got -0.01");
    assertThat(p.delayBeforeRetry(1, 0.0)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void retryPolicyRejectsNonsense() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, 1, Duration.ZERO, 0))
        .hasMessageContaining("maxAttempts must be at least 1");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(2), 1, Duration.ofSeconds(1), 0))
        .hasMessageContaining("must not be shorter than initialInterval");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, 0.5, Duration.ZERO, 0))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, 1, Duration.ZERO, 1.0))
        .hasMessageContaining("jitter must be in [0, 1)");
    assertThatThrownBy(() -> RetryPolicy.defaults().delayBeforeRetry(0, 0.5))
        .hasMessageContaining("retry must be at least 1");
  }

  @Test
  void waitIntervalsGrowUpToTheMaximum() {
    WaitPolicy p = new WaitPolicy(Duration.ofSeconds(5), Duration.ofSeconds(20), 2.0,
        Duration.ofMinutes(1));
    assertThat(p.intervalAfterPoll(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.intervalAfterPoll(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.intervalAfterPoll(3)).isEqualTo(Duration.ofSeconds(20));
    assertThat(p.intervalAfterPoll(30)).isEqualTo(Duration.ofSeconds(20));
    assertThatThrownBy(() -> new WaitPolicy(Duration.ZERO, Duration.ZERO, 1, Duration.ofSeconds(1)))
        .hasMessageContaining("initialInterval must be positive");
    assertThatThrownBy(() -> p.withTimeout(Duration.ZERO)).hasMessageContaining("timeout");
  }

  @Test
  void anInstanceHasTwoOrThreeCryptoUnits() {
    assertThat(InstanceRequest.named("kpd").cryptoUnits()).isEqualTo(2);
    assertThat(new InstanceRequest("kpd", "us-south", null, 3).cryptoUnits()).isEqualTo(3);
    assertThatThrownBy(() -> new InstanceRequest("kpd", "us-south", null, 4))
        .hasMessageContaining("must be 2 or 3");
    assertThatThrownBy(() -> new InstanceRequest("kpd", "us-south", null, 1))
        .hasMessageContaining("got 1");
  }
}
