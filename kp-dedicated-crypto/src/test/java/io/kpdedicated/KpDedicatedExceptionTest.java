package io.kpdedicated;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KpDedicatedExceptionTest {

  @Test
  void carriesItsUnitRemediationAndRetryability() {
    IllegalStateException cause = new IllegalStateException("cause");
    KpDedicatedException e =
        new KpDedicatedException("unit failed", "unit-7", "wait and retry", true, cause);

    assertThat(e.getMessage()).isEqualTo("unit failed");
    assertThat(e.unitId()).contains("unit-7");
    assertThat(e.remediation()).contains("wait and retry");
    assertThat(e.retryable()).isTrue();
    assertThat(e.getCause()).isSameAs(cause);
  }

  @Test
  void theShortFormConcernsNoUnitAndIsNotRetryable() {
    KpDedicatedException e = new KpDedicatedException("failed", null);

    assertThat(e.unitId()).isEmpty();
    assertThat(e.remediation()).isEmpty();
    assertThat(e.retryable()).isFalse();
  }
}
