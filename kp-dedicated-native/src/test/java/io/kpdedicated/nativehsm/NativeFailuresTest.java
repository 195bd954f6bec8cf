package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every status of IBM's library becomes one typed failure of the core, in one place. */
class NativeFailuresTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "B1B39FC5, WRONG_STATE",
      "B1B39FC4, WRONG_STATE",
      "B1B39DD0, NOT_FOUND",
      "B1B39DD1, NOT_FOUND",
      "C7000C00, NOT_FOUND",
      "B1B3C350, INTERNAL",
      "B1B39CA4, NOT_AUTHORIZED",
      "C7000C01, ALREADY_EXISTS",
      "C7000101, TIMEOUT",
      "C7000602, CONNECTION",
      "C7000100, CONNECTION",
      "C7000102, CONNECTION",
      "00000008, NOT_AUTHORIZED",
      "C7000300, NOT_ADMIN",
      "C7000306, NOT_ADMIN",
      "C7000302, NOT_AUTHORIZED",
      "C7000301, NOT_AUTHORIZED",
      "B9032001, CONNECTION",
      "B9032006, UNKNOWN",
      "B906100E, INVALID_REQUEST",
      "C7000001, INVALID_REQUEST",
      "C7000C02, INVALID_REQUEST",
      "B1B39C40, INVALID_REQUEST",
      "C7000600, UNKNOWN",
      "12345678, UNKNOWN",
  })
  void eachStatusHasItsKind(String hex, FailureKind kind) {
    assertThat(NativeFailures.kindOf(new StatusCode(Long.parseLong(hex, 16)))).isEqualTo(kind);
  }

  @Test
  void aServiceStatusBecomesAServiceExceptionWithTheLibrarysCodeAndFacts() {
    NativeHsmException e = new NativeHsmException(NativeCall.IMPORT_MASTER_KEY, "unit-1",
        new StatusCode(0xB1B3C350L), "try again");
    RuntimeException mapped = NativeFailures.map(Operation.IMPORT_MASTER_KEY, e);
    assertThat(mapped).isInstanceOf(ServiceException.class).hasCause(e)
        .hasMessage(e.getMessage());
    ServiceException s = (ServiceException) mapped;
    assertThat(s.operation()).isEqualTo(Operation.IMPORT_MASTER_KEY);
    assertThat(s.kind()).isEqualTo(FailureKind.INTERNAL);
    assertThat(s.unitId()).contains("unit-1");
    assertThat(s.serviceCode()).contains("0xB1B3C350");
    assertThat(s.retryable()).isTrue();
    assertThat(s.remediation()).contains("retry later");
  }

  @Test
  void connectionAndTimeoutStatusesBecomeTransportExceptions() {
    for (long code : new long[] {0xC7000101L, 0xC7000102L}) {
      NativeHsmException e = new NativeHsmException(NativeCall.LIST_USERS, "unit-2",
          new StatusCode(code), null);
      RuntimeException mapped = NativeFailures.map(Operation.LIST_USERS, e);
      assertThat(mapped).isInstanceOf(TransportException.class).hasCause(e);
      TransportException t = (TransportException) mapped;
      assertThat(t.kind()).isEqualTo(code == 0xC7000101L ? FailureKind.TIMEOUT
          : FailureKind.CONNECTION);
      assertThat(t.operation()).isEqualTo(Operation.LIST_USERS);
      assertThat(t.unitId()).contains("unit-2");
      assertThat(t.retryable()).isTrue();
      assertThat(t.remediation()).isPresent();
    }
  }

  @Test
  void aFailureWithoutStatusIsAConnectionFailureAsRetryableAsItSays() {
    NativeHsmException e = new NativeHsmException(NativeCall.CREATE_SESSION, "unit-3", "no session",
        "check the endpoint", false);
    RuntimeException mapped = NativeFailures.map(Operation.OPEN_SESSION, e);
    assertThat(mapped).isInstanceOf(TransportException.class);
    TransportException t = (TransportException) mapped;
    assertThat(t.kind()).isEqualTo(FailureKind.CONNECTION);
    assertThat(t.retryable()).isFalse();
    assertThat(t.remediation()).contains("check the endpoint");
    assertThat(t.unitId()).contains("unit-3");
  }

  @Test
  void aNonRetryableServiceStatusStaysNonRetryable() {
    NativeHsmException e = new NativeHsmException(NativeCall.ADD_USER, null,
        new StatusCode(0xC7000C01L), "exists");
    ServiceException s = (ServiceException) NativeFailures.map(Operation.ADD_USER, e);
    assertThat(s.retryable()).isFalse();
    assertThat(s.unitId()).isEmpty();
    assertThat(s.remediation()).hasValueSatisfying(r -> assertThat(r).contains("already exists"));
  }

  @Test
  void anUnexpectedAnswerIsAnInvalidAnswer() {
    UnexpectedAnswerException e = new UnexpectedAnswerException(NativeCall.LIST_MASTER_KEYS,
        "unit-4", "garbage", "the raw line");
    TransportException t = NativeFailures.map(Operation.LIST_MASTER_KEYS, e);
    assertThat(t.kind()).isEqualTo(FailureKind.INVALID_ANSWER);
    assertThat(t.operation()).isEqualTo(Operation.LIST_MASTER_KEYS);
    assertThat(t.unitId()).contains("unit-4");
    assertThat(t).hasCause(e).hasMessage(e.getMessage());
    assertThat(t.retryable()).isEqualTo(e.retryable());
  }
}
