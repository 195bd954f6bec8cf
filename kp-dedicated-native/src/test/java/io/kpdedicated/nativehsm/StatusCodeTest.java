package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusCodeTest {

  @Test
  void aNegativeIntIsReadAsUnsigned() {
    StatusCode s = StatusCode.of(0xC7000C01);
    assertThat(s.value()).isEqualTo(0xC7000C01L);
    assertThat(s.hex()).isEqualTo("0xC7000C01");
    assertThat(s.family()).isEqualTo(StatusFamily.USER);
    assertThat(s.description()).isEqualTo("user exists");
    assertThat(s).hasToString("0xC7000C01 (user: user exists)");
  }

  @ParameterizedTest(name = "{0} is {1}, retryable={2}")
  @CsvSource({
      "0x00000000, SUCCESS, false",
      "0xC7000001, BASIC, false",
      "0xC7000100, CONNECTION, true",
      "0xC7000101, CONNECTION, true",
      "0xC7000102, CONNECTION, true",
      "0xC7000103, CONNECTION, true",
      "0xC71001FF, UNKNOWN, false",
      "0xC7000300, AUTHENTICATION, false",
      "0xC7000302, AUTHENTICATION, false",
      "0xC7000600, SESSION, false",
      "0xC7000602, SESSION, true",
      "0xC7000C00, USER, false",
      "0xC7000C01, USER, false",
      "0xB1B39FC5, SERVICE, false",
      "0xB1B39FC4, SERVICE, false",
      "0xB1B39DD1, SERVICE, false",
      "0xB1B3C350, SERVICE, true",
      "0xB9061003, KEY_FILE, false",
      "0xB906100E, KEY_FILE, false",
      "0xB9032001, HTTP, true",
      "0xB9032006, HTTP, false",
      "0x00000008, IAM_TOKEN, true",
      "0x12345678, UNKNOWN, false"
  })
  void familiesAndRetryability(String hex, StatusFamily family, boolean retryable) {
    StatusCode s = new StatusCode(Long.decode(hex));
    assertThat(s.family()).isEqualTo(family);
    assertThat(s.retryable()).isEqualTo(retryable);
    assertThat(s.hex()).isEqualToIgnoringCase(hex);
  }

  @Test
  void remediationsDependOnTheCall() {
    StatusCode wrongPass = new StatusCode(0xB906100EL);
    assertThat(wrongPass.remediation(NativeCall.CREATE_SESSION)).hasValueSatisfying(
        r -> assertThat(r).contains("admin key file's passphrase"));
    assertThat(wrongPass.remediation(NativeCall.IMPORT_MASTER_KEY)).hasValueSatisfying(
        r -> assertThat(r).contains("share file's passphrase"));
    assertThat(new StatusCode(0xB1B39FC5L).remediation(NativeCall.IMPORT_MASTER_KEY))
        .hasValueSatisfying(r -> assertThat(r).startsWith("claim the unit"));
    assertThat(new StatusCode(0xC7000C01L).remediation(NativeCall.ADD_USER))
        .hasValueSatisfying(r -> assertThat(r).contains("already exists", "list the unit's users"));
    assertThat(new StatusCode(0xC7000C01L).remediation(NativeCall.LIST_USERS)).isEmpty();
    assertThat(new StatusCode(0xC7000103L).remediation(NativeCall.LIST_USERS))
        .hasValueSatisfying(r -> assertThat(r).contains("private endpoint"));
  }

  @Test
  void unknownCodesSayWhatFamilyTheyBelongTo() {
    StatusCode s = new StatusCode(0xC70003FFL);
    assertThat(s.isKnown()).isFalse();
    assertThat(s.description()).isEqualTo("unknown authentication status");
  }

  @Test
  void valuesOutsideThirtyTwoBitsAreRefused() {
    assertThatThrownBy(() -> new StatusCode(0x1_0000_0000L))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StatusCode(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFailureCarriesUnitCodeRetryableAndRemediation() {
    NativeHsmException e = new NativeHsmException(NativeCall.IMPORT_MASTER_KEY, "u-7",
        StatusCode.of(0xB1B3C350), "try again");
    assertThat(e).isInstanceOf(io.kpdedicated.KpDedicatedException.class);
    assertThat(e.unitId()).contains("u-7");
    assertThat(e.code()).contains("0xB1B3C350");
    assertThat(e.retryable()).isTrue();
    assertThat(e.remediation()).contains("retry later");
    assertThat(e.getMessage()).isEqualTo("ImportMBKC failed on unit u-7: 0xB1B3C350 (service: "
        + "internal error at the service); the library says: try again");
  }
}
