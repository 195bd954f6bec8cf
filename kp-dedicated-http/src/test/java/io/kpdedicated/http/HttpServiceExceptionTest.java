package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.Remediations;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HttpServiceException}'s builder: the status range, what is derived, and what overrides it. */
class HttpServiceExceptionTest {

  @ParameterizedTest
  @ValueSource(ints = {100, 404, 599})
  void acceptsEveryHttpStatus(int status) {
    assertThat(HttpServiceException.builder(Operation.CLAIM, status, "m").build().status()).isEqualTo(status);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 99, 600, 1000})
  void refusesAStatusOutsideHttpsRange(int status) {
    assertThatThrownBy(() -> HttpServiceException.builder(Operation.CLAIM, status, "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status must be 100 to 599, got " + status);
  }

  @Test
  void requiresOperationAndMessage() {
    assertThatThrownBy(() -> HttpServiceException.builder(null, 500, "m"))
        .isInstanceOf(NullPointerException.class).hasMessage("operation");
    assertThatThrownBy(() -> HttpServiceException.builder(Operation.CLAIM, 500, null))
        .isInstanceOf(NullPointerException.class).hasMessage("message");
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 503, 599})
  void retryableStatuses(int status) {
    assertThat(HttpServiceException.isRetryableStatus(status)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 400, 401, 407, 409, 428, 430, 499, 600})
  void statusesARetryCannotFix(int status) {
    assertThat(HttpServiceException.isRetryableStatus(status)).isFalse();
  }

  @Test
  void derivesKindRetryabilityAndRemediationFromTheStatus() {
    HttpServiceException unavailable = HttpServiceException.builder(Operation.LIST_UNITS, 503, "down").build();
    HttpServiceException notFound = HttpServiceException.builder(Operation.GET_INSTANCE, 404, "gone").build();

    assertThat(unavailable.kind()).isEqualTo(FailureKind.UNAVAILABLE);
    assertThat(unavailable.retryable()).isTrue();
    assertThat(unavailable.remediation()).contains(Remediations.forKind(FailureKind.UNAVAILABLE));
    assertThat(notFound.kind()).isEqualTo(FailureKind.NOT_FOUND);
    assertThat(notFound.retryable()).isFalse();
  }

  @Test
  void carriesEveryFactGiven() {
    IOException cause = new IOException("c");
    HttpServiceException e = HttpServiceException.builder(Operation.CLAIM, 409, "taken")
        .unitId("u1").serviceCode("C-1").requestId("r-1").retryAfter(Duration.ofSeconds(3))
        .cause(cause).build();

    assertThat(e.operation()).isEqualTo(Operation.CLAIM);
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.getMessage()).isEqualTo("taken");
    assertThat(e.unitId()).contains("u1");
    assertThat(e.serviceCode()).contains("C-1");
    assertThat(e.requestId()).contains("r-1");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(e.getCause()).isSameAs(cause);
  }

  @Test
  void leavesOutWhatWasNotGiven() {
    HttpServiceException e = HttpServiceException.builder(Operation.CLAIM, 500, "m")
        .unitId(null).serviceCode(null).requestId(null).retryAfter(null).cause(null).build();

    assertThat(e.unitId()).isEmpty();
    assertThat(e.serviceCode()).isEmpty();
    assertThat(e.requestId()).isEmpty();
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.getCause()).isNull();
  }

  @Test
  void theCodeDecidesTheKindOfAConflict() {
    assertThat(HttpServiceException.builder(Operation.CLAIM, 409, "m").serviceCode("KEY_ALREADY_EXISTS")
        .build().kind()).isEqualTo(FailureKind.ALREADY_EXISTS);
  }

  @Test
  void overridesWinOverWhatIsDerived() {
    HttpServiceException e = HttpServiceException.builder(Operation.LIST_UNITS, 503, "down")
        .kind(FailureKind.INTERNAL).retryable(false).remediation("do this").build();

    assertThat(e.kind()).isEqualTo(FailureKind.INTERNAL);
    assertThat(e.retryable()).isFalse();
    assertThat(e.remediation()).contains("do this");
    assertThat(HttpServiceException.builder(Operation.CLAIM, 400, "bad").retryable(true).build()
        .retryable()).isTrue();
    assertThat(HttpServiceException.builder(Operation.CLAIM, 404, "bad").remediation(null).build()
        .remediation()).contains(Remediations.forKind(FailureKind.NOT_FOUND));
  }

  @Test
  void theRemediationFollowsAnOverriddenKind() {
    assertThat(HttpServiceException.builder(Operation.LIST_UNITS, 503, "down").kind(FailureKind.NOT_FOUND)
        .build().remediation()).contains(Remediations.forKind(FailureKind.NOT_FOUND));
  }

  @Test
  void refusesANegativeRetryAfterAndAcceptsZero() {
    assertThatThrownBy(() -> HttpServiceException.builder(Operation.CLAIM, 429, "m")
        .retryAfter(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryAfter must not be negative");
    assertThat(HttpServiceException.builder(Operation.CLAIM, 429, "m").retryAfter(Duration.ZERO).build()
        .retryAfter()).contains(Duration.ZERO);
    assertThatThrownBy(() -> HttpServiceException.builder(Operation.CLAIM, 429, "m").kind(null))
        .isInstanceOf(NullPointerException.class);
  }
}
