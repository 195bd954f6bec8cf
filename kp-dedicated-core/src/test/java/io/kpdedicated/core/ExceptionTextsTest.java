package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.UnitState;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The facts and texts of the failures a run ends with, which operators read to decide. */
class ExceptionTextsTest {
  private static final InstanceTarget TARGET =
      new InstanceTarget(URI.create("https://g1.api.us-south.kms.appdomain.cloud"), "g1");

  @Test
  void aFailedInstanceNamesItselfItsStateAndTheLastOperationWhenThereIsOne() {
    InstanceFailedException e = new InstanceFailedException("crn:1", InstanceState.FAILED,
        "failed", "create");

    assertThat(e).hasMessage("instance crn:1 is 'failed' and will not become active"
        + " (last operation: create)");
    assertThat(e.instanceId()).isEqualTo("crn:1");
    assertThat(e.state()).isEqualTo(InstanceState.FAILED);
    assertThat(e.rawState()).isEqualTo("failed");
    assertThat(e.retryable()).isFalse();
    assertThat(e.unitId()).isEmpty();
    assertThat(new InstanceFailedException("crn:1", InstanceState.INACTIVE, "Inactive", null))
        .hasMessage("instance crn:1 is 'Inactive' and will not become active");
    assertThat(new InstanceFailedException("crn:1", InstanceState.INACTIVE, "inactive", " "))
        .hasMessage("instance crn:1 is 'inactive' and will not become active");
  }

  @Test
  void eachWayAnInstanceCanFailSaysWhatToDoAboutIt() {
    assertThat(remediation(InstanceState.FAILED)).startsWith("Provisioning failed. Delete the"
        + " instance").contains("contact IBM support with the instance id");
    assertThat(remediation(InstanceState.INACTIVE)).isEqualTo("The instance is disabled."
        + " Re-enable it in the Resource Controller, then run again.");
    String deleted = "The instance was deleted. Restore it within the reclamation period, or"
        + " choose another instance name and run again.";
    assertThat(remediation(InstanceState.REMOVED)).isEqualTo(deleted);
    assertThat(remediation(InstanceState.PENDING_RECLAMATION)).isEqualTo(deleted);
  }

  private static String remediation(InstanceState state) {
    return new InstanceFailedException("crn:1", state, state.name(), null).remediation()
        .orElseThrow();
  }

  @Test
  void aTimedOutWaitNamesWhatItWaitedForAndTheLastStateWhenOneWasSeen() {
    IllegalStateException last = new IllegalStateException("reset");

    WaitTimeoutException seen = new WaitTimeoutException("crypto unit u1 to leave maintenance",
        "u1", 3, Duration.ofMinutes(2), "maintenance", last);
    WaitTimeoutException unseen = new WaitTimeoutException("instance crn:1 to become active",
        null, 1, Duration.ofSeconds(30), null);

    assertThat(seen).hasMessage("timed out waiting for crypto unit u1 to leave maintenance after"
        + " 3 polls in PT2M; last state 'maintenance'").hasCause(last);
    assertThat(seen.subject()).isEqualTo("crypto unit u1 to leave maintenance");
    assertThat(seen.unitId()).contains("u1");
    assertThat(seen.attempts()).isEqualTo(3);
    assertThat(seen.elapsed()).isEqualTo(Duration.ofMinutes(2));
    assertThat(seen.lastState()).isEqualTo("maintenance");
    assertThat(seen.retryable()).isTrue();
    assertThat(unseen).hasMessage("timed out waiting for instance crn:1 to become active after"
        + " 1 poll in PT30S").hasNoCause();
    assertThat(unseen.subject()).isEqualTo("instance crn:1 to become active");
    assertThat(unseen.lastState()).isNull();
    assertThat(unseen.remediation()).contains("Run again to keep waiting (nothing is lost), or"
        + " raise the timeout of the wait policy.");
  }

  private static UnitOutcome done(String unitId) {
    return new UnitOutcome(unitId, UnitState.AVAILABLE, UnitState.KMS_INITIALIZED,
        UnitOutcome.Status.SUCCEEDED, List.of(Step.CLAIM), 1, new CheckValue("AAAA"), null);
  }

  private static UnitOutcome failed(String unitId, UnitOutcome.Status status,
      KpDedicatedException why) {
    return new UnitOutcome(unitId, UnitState.CLAIMED, UnitState.CLAIMED, status, List.of(), 2,
        null, why);
  }

  @Test
  void aPartialFailureNamesEachFailedUnitWithItsStatusAndReasonAndCarriesTheFirstReason() {
    KpDedicatedException busy = new KpDedicatedException("busy", "u2", null, true, null);
    KpDedicatedException foreign = new KpDedicatedException("holds another key", "u3", null,
        false, null);
    InitializationResult result = new InitializationResult(null, TARGET, List.of(done("u1"),
        failed("u2", UnitOutcome.Status.FAILED, busy),
        failed("u3", UnitOutcome.Status.MISMATCH, foreign)), null, List.of());

    PartialFailureException e = new PartialFailureException(result);

    assertThat(e).hasMessage("2 of 3 crypto units were not initialized: u2 FAILED (busy);"
        + " u3 MISMATCH (holds another key)").hasCause(busy);
    assertThat(e.result()).isSameAs(result);
    assertThat(e.retryable()).isFalse();
    assertThat(e.remediation()).get().asString().contains("need zeroizing first");
  }

  @Test
  void aPartialFailureOfOnlyRetryableFailuresIsRetryable() {
    KpDedicatedException busy = new KpDedicatedException("busy", "u2", null, true, null);

    PartialFailureException e = new PartialFailureException(new InitializationResult(null,
        TARGET, List.of(failed("u2", UnitOutcome.Status.FAILED, busy)), null, List.of()));

    assertThat(e).hasMessage("1 of 1 crypto units were not initialized: u2 FAILED (busy)");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aPartialFailureWithoutFailedUnitsHasNoCause() {
    PartialFailureException e = new PartialFailureException(new InitializationResult(null,
        TARGET, List.of(done("u1")), null, List.of()));

    assertThat(e).hasMessage("0 of 1 crypto units were not initialized: ").hasNoCause();
  }
}
