package io.kpdedicated.testkit;

import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.model.CheckValue;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A crypto unit of the in-memory cloud at one moment, as a test sees it (more than the service
 * shows its callers).
 *
 * @param id the unit id
 * @param index the 0-based position in its instance's unit list
 * @param state the state the unit reports (maintenance included)
 * @param admin the claimed administrator's public key, or {@code null} when not claimed
 * @param masterKey the loaded master key, or {@code null} when none
 * @param users the unit's users (the claimed administrator first)
 */
public record UnitSnapshot(
    String id, int index, UnitState state, RSAPublicKey admin, MasterKeyInfo masterKey,
    List<CryptoUser> users) {
  /**
   * Validates and copies.
   *
   * @param id the unit id
   * @param index the 0-based position in its instance's unit list
   * @param state the state the unit reports (maintenance included)
   * @param admin the claimed administrator's public key, or {@code null} when not claimed
   * @param masterKey the loaded master key, or {@code null} when none
   * @param users the unit's users (the claimed administrator first)
   */
  public UnitSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    users = List.copyOf(users);
  }

  /** {@return the loaded master key's check value, if a key is loaded} */
  public Optional<CheckValue> checkValue() {
    return Optional.ofNullable(masterKey).map(MasterKeyInfo::checkValue);
  }

  /** {@return whether the unit has a {@code kmsCryptoUser}} */
  public boolean hasCryptoUser() {
    return users.stream().anyMatch(u -> u.type() == UserType.KMS_CRYPTO_USER);
  }
}
