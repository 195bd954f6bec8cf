package io.kpdedicated.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceExceptionTest {

  @Test
  void theBuilderCarriesEveryFactItWasGiven() {
    IllegalStateException cause = new IllegalStateException("socket");

    ServiceException e = ServiceException.builder(Operation.CLAIM, FailureKind.NOT_FOUND,
        "no such unit").unitId("unit-1").serviceCode("UNIT_NOT_FOUND").requestId("req-42")
        .retryAfter(Duration.ofSeconds(3)).remediation("look again").retryable(true).cause(cause)
        .build();

    assertThat(e).hasMessage("no such unit").hasCause(cause);
    assertThat(e.operation()).isEqualTo(Operation.CLAIM);
    assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND);
    assertThat(e.unitId()).contains("unit-1");
    assertThat(e.serviceCode()).contains("UNIT_NOT_FOUND");
    assertThat(e.requestId()).contains("req-42");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(e.remediation()).contains("look again");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void withoutOverridesTheKindDecidesTheHintAndWhetherARetryHelps() {
    ServiceException busy = ServiceException.builder(Operation.LIST_UNITS,
        FailureKind.UNAVAILABLE, "busy").build();
    ServiceException refused = ServiceException.builder(Operation.CLAIM, FailureKind.NOT_ADMIN,
        "not the admin").build();

    assertThat(busy.retryable()).isTrue();
    assertThat(busy.remediation()).contains(Remediations.forKind(FailureKind.UNAVAILABLE));
    assertThat(busy.unitId()).isEmpty();
    assertThat(busy.serviceCode()).isEmpty();
    assertThat(busy.requestId()).isEmpty();
    assertThat(busy.retryAfter()).isEmpty();
    assertThat(busy.getCause()).isNull();
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.remediation()).contains(Remediations.forKind(FailureKind.NOT_ADMIN));
  }

  @Test
  void aRetryableKindCanBeDeclaredNotRetryable() {
    ServiceException e = ServiceException.builder(Operation.CLAIM, FailureKind.UNAVAILABLE,
        "gone for good").retryable(false).build();

    assertThat(e.retryable()).isFalse();
  }

  @Test
  void aNegativeRetryDelayIsRefusedAndZeroOrNoneIsAccepted() {
    ServiceException.Builder b = ServiceException.builder(Operation.CLAIM,
        FailureKind.RATE_LIMITED, "slow down");

    assertThatThrownBy(() -> b.retryAfter(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryAfter");
    assertThat(b.retryAfter(Duration.ZERO).build().retryAfter()).contains(Duration.ZERO);
    assertThat(b.retryAfter(null).build().retryAfter()).isEmpty();
  }

  @Test
  void aSubclassGivingANegativeRetryDelayIsRefused() {
    assertThatThrownBy(() -> new ServiceException(Operation.CLAIM, FailureKind.RATE_LIMITED,
        "slow down", null, null, null, Duration.ofSeconds(-1), null, null, null) {
      private static final long serialVersionUID = 1L;
    }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryAfter");
  }

  @Test
  void theBuilderRefusesMissingFacts() {
    assertThatThrownBy(() -> ServiceException.builder(null, FailureKind.UNKNOWN, "m"))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("operation");
    assertThatThrownBy(() -> ServiceException.builder(Operation.CLAIM, null, "m"))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("kind");
    assertThatThrownBy(() -> ServiceException.builder(Operation.CLAIM, FailureKind.UNKNOWN, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("message");
  }
}
