package io.kpdedicated.testkit;

import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.http.SignedCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Authentication of session commands, as a unit does it: the unit must have an administrator, the
 * command must be signed for this unit over this body, within the signature window of the unit's
 * clock, by the administrator's key, with a nonce not seen in the window.
 */
final class SignatureCheck {
  private final CloudState state;

  SignatureCheck(CloudState state) {
    this.state = state;
  }

  /** Checks {@code command} for {@code unit}; the caller holds the lock. */
  void check(Operation op, UnitRecord unit, SignedCommand command, byte[] body) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(body, "body");
    String unitId = unit.id;
    if (unit.admin == null) {
      throw state.error(op, unitId, 409, "CRYPTO_UNIT_NOT_CLAIMED",
          "crypto unit " + unitId + " has no administrator yet; claim it first");
    }
    if (!command.unitId().equals(unitId)) {
      throw state.error(op, unitId, 401, "SIGNATURE_WRONG_UNIT",
          "the command was signed for unit " + command.unitId() + ", not " + unitId);
    }
    if (!UnitCrypto.bodyMatches(command, body)) {
      throw state.error(op, unitId, 401, "BODY_DIGEST_MISMATCH",
          "the body digest in the signed command for unit " + unitId + " does not match the body");
    }
    Duration window = state.settings.signatureWindow();
    Instant now = state.settings.clock().instant();
    Instant signedAt = Instant.ofEpochMilli(command.timestampMillis());
    if (signedAt.isBefore(now.minus(window)) || signedAt.isAfter(now.plus(window))) {
      throw state.error(op, unitId, 401, "SIGNATURE_EXPIRED",
          "the command for unit " + unitId + " was signed at " + signedAt + ", outside "
              + window + " of the unit's time " + now + "; check the signer's clock");
    }
    if (!UnitCrypto.signatureValid(command, unit.admin)) {
      throw state.error(op, unitId, 403, "ADMIN_SIGNATURE_INVALID",
          "the command for unit " + unitId + " is not signed by the unit's administrator");
    }
    unit.pruneNonces(now.minus(window));
    if (unit.nonces.putIfAbsent(command.nonce(), signedAt) != null) {
      throw state.error(op, unitId, 401, "NONCE_REPLAYED",
          "the command's nonce was already used on unit " + unitId + "; sign every command anew");
    }
  }
}
