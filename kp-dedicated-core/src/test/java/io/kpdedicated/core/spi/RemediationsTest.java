package io.kpdedicated.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RemediationsTest {
  /** A phrase each kind's hint must contain: what to do about it. */
  private static final Map<FailureKind, String> ADVICE = Map.ofEntries(
      Map.entry(FailureKind.MAINTENANCE, "in maintenance (at most one unit at a time); retry later"),
      Map.entry(FailureKind.NOT_AUTHORIZED, "check the API key"),
      Map.entry(FailureKind.NOT_ADMIN, "claimed with another administrator key"),
      Map.entry(FailureKind.NOT_FOUND, "check the instance id / GUID"),
      Map.entry(FailureKind.WRONG_STATE, "not in the state this call needs"),
      Map.entry(FailureKind.ALREADY_EXISTS, "not in the state this call needs"),
      Map.entry(FailureKind.RATE_LIMITED, "retry after the delay the service asked for"),
      Map.entry(FailureKind.UNAVAILABLE, "failed temporarily; retry"),
      Map.entry(FailureKind.INTERNAL, "failed temporarily; retry"),
      Map.entry(FailureKind.TIMEOUT, "failed temporarily; retry"),
      Map.entry(FailureKind.CONNECTION, "failed temporarily; retry"),
      Map.entry(FailureKind.INVALID_ANSWER, "failed temporarily; retry"));

  @ParameterizedTest
  @EnumSource(FailureKind.class)
  void everyKindHasTheAdviceThatFitsItOrNoneWhenNothingUsefulCanBeSaid(FailureKind kind) {
    String hint = Remediations.forKind(kind);

    if (ADVICE.containsKey(kind)) {
      assertThat(hint).contains(ADVICE.get(kind));
    } else {
      assertThat(kind).isIn(FailureKind.INVALID_REQUEST, FailureKind.UNKNOWN);
      assertThat(hint).isNull();
    }
  }

  @Test
  void aHintThatSaysRetryIsGivenExactlyForTheKindsRetriedByDefault() {
    EnumSet<FailureKind> saysRetry = EnumSet.noneOf(FailureKind.class);
    for (FailureKind kind : FailureKind.values()) {
      String hint = Remediations.forKind(kind);
      if (hint != null && hint.toLowerCase(java.util.Locale.ROOT).contains("retry")) {
        saysRetry.add(kind);
      }
    }
    EnumSet<FailureKind> retryable = EnumSet.noneOf(FailureKind.class);
    for (FailureKind kind : FailureKind.values()) {
      if (kind.retryableByDefault()) {
        retryable.add(kind);
      }
    }
    assertThat(saysRetry).isEqualTo(retryable);
  }

  @Test
  void theNoHealthyUpstreamHintNamesItsFourCauses() {
    assertThat(Remediations.NO_HEALTHY_UPSTREAM).contains("kms-initialized",
        "different master keys", "kmsCryptoUser", "maintenance");
    assertThat(Remediations.PRIVATE_ENDPOINT_TIMEOUT).contains(".api.private.", "public endpoint");
  }

  @Test
  void theKindsThatARetryCanHelpAreRetryableByDefault() {
    assertThat(EnumSet.allOf(FailureKind.class).stream().filter(FailureKind::retryableByDefault))
        .containsExactlyInAnyOrder(FailureKind.MAINTENANCE, FailureKind.RATE_LIMITED,
            FailureKind.UNAVAILABLE, FailureKind.TIMEOUT, FailureKind.CONNECTION,
            FailureKind.INVALID_ANSWER, FailureKind.INTERNAL);
  }
}
