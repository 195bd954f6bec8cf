package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.UnitState;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text of a master-key conflict and of a result, which operators read to decide. */
class ConflictAndResultTextTest {
  private static final CheckValue A = new CheckValue("AAAA");
  private static final CheckValue B = new CheckValue("BBBB");
  private static final InstanceTarget TARGET =
      new InstanceTarget(URI.create("https://g1.api.us-south.kms.appdomain.cloud"), "g1");

  private static InitializationResult result(UnitOutcome... units) {
    return new InitializationResult(null, TARGET, List.of(units), A, List.of());
  }

  @Test
  void aRefusalGroupsTheUnitsByTheCheckValueTheyHoldAndNamesThisRunsKey() {
    MasterKeyConflictException e = new MasterKeyConflictException(
        Map.of("u3", B, "u1", A, "u2", A), List.of(), B, null);

    assertThat(e).hasMessage("refusing to load the master key: the instance's units hold check"
        + " value " + A + " on [u1, u2], check value " + B + " on [u3]; this run's keyshares"
        + " have check value " + B);
    assertThat(e.result()).isEmpty();
    assertThat(e.expected()).contains(B);
  }

  @Test
  void unitsOfAnotherAdministratorAreNamedAloneOrAfterTheKeys() {
    assertThat(new MasterKeyConflictException(Map.of(), List.of("u9"), null, null))
        .hasMessage("refusing to load the master key: units [u9] hold a key but are claimed by"
            + " another administrator, so their check value cannot be compared");
    assertThat(new MasterKeyConflictException(Map.of("u1", A), List.of("u9"), null, null))
        .hasMessage("refusing to load the master key: the instance's units hold check value "
            + A + " on [u1]; units [u9] hold a key but are claimed by another administrator, so"
            + " their check value cannot be compared");
  }

  @Test
  void aConflictFoundAfterTheRunCarriesItsResult() {
    InitializationResult r = result();

    MasterKeyConflictException e = new MasterKeyConflictException(Map.of("u1", A, "u2", B),
        List.of(), null, r);

    assertThat(e.getMessage()).startsWith("the instance ended with more than one master key: ");
    assertThat(e.result()).containsSame(r);
    assertThat(e.expected()).isEmpty();
  }

  @Test
  void aResultNamesEachUnitsStatusAndStateAndUnknownForAStateWithoutName() {
    InitializationResult r = result(
        new UnitOutcome("u1", UnitState.RESERVED, UnitState.KMS_INITIALIZED,
            UnitOutcome.Status.SUCCEEDED, List.of(), 1, A, null),
        new UnitOutcome("u2", UnitState.UNKNOWN, UnitState.UNKNOWN, UnitOutcome.Status.FAILED,
            List.of(), 0, null, new InitializationException("odd state", "upgrade")));

    assertThat(r).hasToString("InitializationResult[instance=g1, checkValue=" + A
        + ", u1=SUCCEEDED/kms-initialized, u2=FAILED/unknown]");
  }
}
