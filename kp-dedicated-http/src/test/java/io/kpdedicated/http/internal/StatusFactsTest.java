package io.kpdedicated.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.Remediations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** How an HTTP error answer is classified and what hint it gets, status by status. */
class StatusFactsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "400, INVALID_REQUEST", "401, NOT_AUTHORIZED", "404, NOT_FOUND", "408, TIMEOUT",
      "429, RATE_LIMITED", "502, UNAVAILABLE", "503, UNAVAILABLE", "504, UNAVAILABLE",
      "399, UNKNOWN", "402, INVALID_REQUEST", "499, INVALID_REQUEST", "500, INTERNAL",
      "501, INTERNAL", "599, INTERNAL", "600, UNKNOWN", "200, UNKNOWN", "0, UNKNOWN"})
  void eachStatusHasItsKind(int status, FailureKind kind) {
    assertThat(StatusFacts.kindOf(Operation.CLAIM, status, "SOME_CODE", "some text"))
        .isEqualTo(kind);
  }

  @ParameterizedTest
  @EnumSource(value = Operation.class, names = {"OPEN_SESSION", "LIST_USERS", "ADD_USER",
      "LIST_MASTER_KEYS", "GENERATE_MASTER_KEY", "IMPORT_MASTER_KEY"})
  void a403InASessionMeansNotTheAdministrator(Operation op) {
    assertThat(StatusFacts.kindOf(op, 403, null, null)).isEqualTo(FailureKind.NOT_ADMIN);
  }

  @ParameterizedTest
  @EnumSource(value = Operation.class, names = {"TOKEN", "FIND_INSTANCE", "LIST_UNITS", "CLAIM",
      "ZEROIZE", "CRYPTO_USER_METADATA"})
  void a403ElsewhereMeansTheKeyLacksAccess(Operation op) {
    assertThat(StatusFacts.kindOf(op, 403, null, null)).isEqualTo(FailureKind.NOT_AUTHORIZED);
  }

  @ParameterizedTest(name = "409 {0} -> {1}")
  @CsvSource({"ALREADY_CLAIMED, ALREADY_EXISTS", "user_exists, ALREADY_EXISTS",
      "WRONG_STATE, WRONG_STATE", "'', WRONG_STATE"})
  void a409IsAnExistingThingOrAWrongState(String code, FailureKind kind) {
    assertThat(StatusFacts.kindOf(Operation.ADD_USER, 409, code, "x")).isEqualTo(kind);
  }

  @Test
  void a409WithoutACodeIsAWrongState() {
    assertThat(StatusFacts.kindOf(Operation.CLAIM, 409, null, null))
        .isEqualTo(FailureKind.WRONG_STATE);
  }

  @Test
  void maintenanceInTheCodeOrTheMessageWinsWhateverTheStatus() {
    assertThat(StatusFacts.kindOf(Operation.CLAIM, 503, "UNIT_IN_MAINTENANCE", null))
        .isEqualTo(FailureKind.MAINTENANCE);
    assertThat(StatusFacts.kindOf(Operation.CLAIM, 409, null, "The unit is in Maintenance"))
        .isEqualTo(FailureKind.MAINTENANCE);
    assertThat(StatusFacts.isMaintenance(null, null)).isFalse();
    assertThat(StatusFacts.isMaintenance("BUSY", "try later")).isFalse();
  }

  @Test
  void noHealthyUpstreamGetsItsFourCauses() {
    assertThat(StatusFacts.remediation(503, null, "no healthy upstream", FailureKind.UNAVAILABLE))
        .isEqualTo(Remediations.NO_HEALTHY_UPSTREAM);
    assertThat(StatusFacts.remediation(503, "No Healthy Upstream", null, FailureKind.UNAVAILABLE))
        .isEqualTo(Remediations.NO_HEALTHY_UPSTREAM);
    assertThat(StatusFacts.remediation(502, null, "no healthy upstream", FailureKind.UNAVAILABLE))
        .isEqualTo(Remediations.forKind(FailureKind.UNAVAILABLE));
    assertThat(StatusFacts.remediation(503, null, "busy", FailureKind.UNAVAILABLE))
        .isEqualTo(Remediations.forKind(FailureKind.UNAVAILABLE));
  }

  @Test
  void a403WithoutAccessAsksForManagerAccess() {
    assertThat(StatusFacts.remediation(403, null, null, FailureKind.NOT_AUTHORIZED))
        .contains("Manager access");
    assertThat(StatusFacts.remediation(403, null, null, FailureKind.NOT_ADMIN))
        .isEqualTo(Remediations.forKind(FailureKind.NOT_ADMIN));
    assertThat(StatusFacts.remediation(401, null, null, FailureKind.NOT_AUTHORIZED))
        .isEqualTo(Remediations.forKind(FailureKind.NOT_AUTHORIZED));
  }

  @Test
  void otherKindsGetTheirOwnHint() {
    assertThat(StatusFacts.remediation(429, null, null, FailureKind.RATE_LIMITED))
        .isEqualTo(Remediations.forKind(FailureKind.RATE_LIMITED));
  }
}
