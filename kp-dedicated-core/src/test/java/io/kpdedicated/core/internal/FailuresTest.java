package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.Step;
import org.junit.jupiter.api.Test;

/** How an unexpected exception of a step becomes the SDK's own. */
class FailuresTest {

  @Test
  void anSdkExceptionIsKeptAsItIs() {
    KpDedicatedException own = new KpDedicatedException("busy", "u1", "wait", true, null);

    assertThat(Failures.asSdkException(own, Step.CLAIM, "u1")).isSameAs(own);
  }

  @Test
  void anyOtherExceptionIsWrappedNamingTheStepTheUnitAndItsMessage() {
    IllegalStateException boom = new IllegalStateException("boom");

    KpDedicatedException e = Failures.asSdkException(boom, Step.CLAIM, "u1");

    assertThat(e).isInstanceOf(InitializationException.class)
        .hasMessage("unexpected java.lang.IllegalStateException during CLAIM on crypto unit u1:"
            + " boom")
        .hasCause(boom);
    assertThat(e.unitId()).contains("u1");
    assertThat(e.retryable()).isFalse();
    assertThat(e.remediation()).contains("This is a defect in the transport or the SDK; run"
        + " again, and report it if it repeats.");
  }

  @Test
  void withoutUnitOrMessageTheWrapperSaysOnlyWhatAndWhen() {
    NullPointerException npe = new NullPointerException();

    KpDedicatedException e = Failures.asSdkException(npe, Step.LIST_UNITS, null);

    assertThat(e).hasMessage("unexpected java.lang.NullPointerException during LIST_UNITS")
        .hasCause(npe);
    assertThat(e.unitId()).isEmpty();
  }
}
