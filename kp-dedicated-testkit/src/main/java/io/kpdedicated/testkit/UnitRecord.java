package io.kpdedicated.testkit;

import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.UserType;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Mutable state of one unit; guarded by the cloud's lock. */
final class UnitRecord {
  final String id;
  final int index;
  UnitState state = UnitState.RESERVED;
  boolean heldInMaintenance;
  String rawStateOverride;
  RSAPublicKey admin;
  MasterKeyInfo masterKey;
  final Map<String, CryptoUser> users = new LinkedHashMap<>();
  final Map<String, Instant> nonces = new LinkedHashMap<>();
  KeyPair importKey;

  UnitRecord(String id, int index) {
    this.id = id;
    this.index = index;
  }

  void setState(UnitState newState) {
    state = newState;
    rawStateOverride = null;
  }

  boolean hasCryptoUser() {
    return users.values().stream().anyMatch(u -> u.type() == UserType.KMS_CRYPTO_USER);
  }

  /** The state the service reports for what the unit holds (the lifecycle model decides). */
  UnitState derivedState() {
    return UnitLifecycle.stateOf(
        new UnitLifecycle.Content(admin != null, masterKey != null, hasCryptoUser()));
  }

  void wipe() {
    admin = null;
    masterKey = null;
    users.clear();
    nonces.clear();
    setState(UnitState.RESERVED);
  }

  void pruneNonces(Instant oldest) {
    for (Iterator<Instant> it = nonces.values().iterator(); it.hasNext(); ) {
      if (it.next().isBefore(oldest)) {
        it.remove();
      }
    }
  }
}
