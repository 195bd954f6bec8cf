package io.kpdedicated.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Wire values of the model's enums and the crypto-user metadata. */
class WireValuesTest {

  @ParameterizedTest
  @EnumSource(value = InstanceState.class, mode = EnumSource.Mode.EXCLUDE, names = "UNKNOWN")
  void everyInstanceStateReadsBackFromItsWireValue(InstanceState state) {
    assertThat(InstanceState.fromWire(state.wireValue())).isEqualTo(state);
    assertThat(InstanceState.fromWire(" " + state.wireValue().toUpperCase(java.util.Locale.ROOT)
        + " ")).isEqualTo(state);
  }

  @Test
  void anUnknownOrMissingInstanceStateIsUnknown() {
    assertThat(InstanceState.fromWire(null)).isEqualTo(InstanceState.UNKNOWN);
    assertThat(InstanceState.fromWire("deprovisioning")).isEqualTo(InstanceState.UNKNOWN);
    assertThat(InstanceState.fromWire("")).isEqualTo(InstanceState.UNKNOWN);
    assertThat(InstanceState.UNKNOWN.wireValue()).isNull();
    assertThat(InstanceState.PENDING_RECLAMATION.wireValue()).isEqualTo("pending_reclamation");
  }

  @ParameterizedTest
  @EnumSource(value = UnitState.class, mode = EnumSource.Mode.EXCLUDE, names = "UNKNOWN")
  void everyUnitStateReadsBackFromItsWireValueInAnyCaseAndWithBlanks(UnitState state) {
    assertThat(UnitState.fromWire(state.wireValue())).isEqualTo(state);
    assertThat(UnitState.fromWire("  " + state.wireValue().toUpperCase(java.util.Locale.ROOT)
        + "\t")).isEqualTo(state);
  }

  @Test
  void anUnknownOrMissingUnitStateIsUnknown() {
    assertThat(UnitState.fromWire(null)).isEqualTo(UnitState.UNKNOWN);
    assertThat(UnitState.fromWire("")).isEqualTo(UnitState.UNKNOWN);
    assertThat(UnitState.fromWire("decommissioned")).isEqualTo(UnitState.UNKNOWN);
    assertThat(UnitState.UNKNOWN.wireValue()).isNull();
    assertThat(UnitState.KMS_INITIALIZED.wireValue()).isEqualTo("kms-initialized");
    assertThat(UnitState.MARKED_FOR_DEL.wireValue()).isEqualTo("marked-for-del");
  }

  @ParameterizedTest
  @EnumSource(UserType.class)
  void everyUserTypeReadsBackFromItsWireValueInAnyCase(UserType type) {
    assertThat(UserType.fromWire(type.wireValue())).isEqualTo(type);
    assertThat(UserType.fromWire(" " + type.wireValue().toUpperCase(java.util.Locale.ROOT)))
        .isEqualTo(type);
  }

  @Test
  void anUnknownOrMissingUserTypeIsOther() {
    assertThat(UserType.KMS_CRYPTO_USER.wireValue()).isEqualTo("kmsCryptoUser");
    assertThat(UserType.ADMIN.wireValue()).isEqualTo("admin");
    assertThat(UserType.fromWire("auditor")).isEqualTo(UserType.OTHER);
    assertThat(UserType.fromWire(null)).isEqualTo(UserType.OTHER);
    assertThat(UserType.fromWire("")).isEqualTo(UserType.OTHER);
  }

  @Test
  void theCryptoUserGetsItsSlotAsAFourDigitCxiGroup() {
    CryptoUserMetadata m = new CryptoUserMetadata("kmsCryptoUser", "PEM", 7);

    assertThat(m.cxiGroup()).isEqualTo("SLOT_0007");
    NewUser user = m.toNewUser();
    assertThat(user.type()).isEqualTo(UserType.KMS_CRYPTO_USER);
    assertThat(user.name()).isEqualTo("kmsCryptoUser");
    assertThat(user.attributes()).isEqualTo(Map.of(NewUser.CXI_GROUP, "SLOT_0007"));
    assertThat(new CryptoUserMetadata("u", "PEM", 9999).cxiGroup()).isEqualTo("SLOT_9999");
    assertThat(new CryptoUserMetadata("u", "PEM", 0).cxiGroup()).isEqualTo("SLOT_0000");
  }

  @Test
  void theCryptoUserMetadataRefusesSlotsOutsideFourDigitsAndBlankFields() {
    assertThatThrownBy(() -> new CryptoUserMetadata("u", "PEM", -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1");
    assertThatThrownBy(() -> new CryptoUserMetadata("u", "PEM", 10000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 10000");
    assertThatThrownBy(() -> new CryptoUserMetadata(" ", "PEM", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userName");
    assertThatThrownBy(() -> new CryptoUserMetadata("u", "", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publicKeyPem");
  }

  @Test
  void theCryptoUserMetadataShowsNameAndSlotButNotTheKey() {
    assertThat(new CryptoUserMetadata("kmsCryptoUser", "-----BEGIN PUBLIC KEY-----", 12))
        .hasToString("CryptoUserMetadata[userName=kmsCryptoUser, slotId=12]");
  }
}
