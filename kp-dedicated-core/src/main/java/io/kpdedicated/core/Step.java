package io.kpdedicated.core;

/**
 * The steps of an initialization, as progress events, plans and outcomes name them.
 *
 * <p>Instance-level steps ({@link #PROVISION} to {@link #LIST_UNITS}) run once per run; unit-level
 * steps ({@link #WAIT_MAINTENANCE} to {@link #VERIFY}) run per crypto unit that still needs them.
 */
public enum Step {
  /** Find the instance by name, or create it. */
  PROVISION,
  /** Wait until the instance is {@code active}. */
  WAIT_ACTIVE,
  /** Read the instance's public endpoint and GUID. */
  RESOLVE_ENDPOINT,
  /** Load or generate the administrator's signature key. */
  ADMIN_IDENTITY,
  /** Write or reuse the keyshare files and verify them. */
  KEYSHARES,
  /** List the instance's crypto units. */
  LIST_UNITS,
  /** Wait for a unit to leave {@code maintenance} (each unit has its own time budget). */
  WAIT_MAINTENANCE,
  /** Install the administrator's public key on a unit. */
  CLAIM,
  /** Import the master key into a unit. */
  IMPORT_MASTER_KEY,
  /** Add the {@code kmsCryptoUser} to a unit. */
  ADD_CRYPTO_USER,
  /** Check that a unit holds the master key with the keyshares' check value. */
  VERIFY;

  /** Returns whether this step concerns one crypto unit (as opposed to the whole instance). */
  public boolean isUnitStep() {
    return ordinal() >= WAIT_MAINTENANCE.ordinal();
  }
}
