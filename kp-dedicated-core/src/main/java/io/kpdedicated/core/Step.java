package io.kpdedicated.core;

/**
 * The steps of an initialization, as progress events, plans and outcomes name them.
 *
 * <p>Instance-level steps ({@link #PROVISION} to {@link #LIST_UNITS}) run once per run; unit-level
 * steps ({@link #WAIT_MAINTENANCE} to {@link #VERIFY}) run per crypto unit that still needs them.
 * What each unit still needs, by its state, is decided by {@link UnitLifecycle}.
 */
public enum Step {
  /** Find the instance by name, or create it. */
  PROVISION("provision"),
  /** Wait until the instance is {@code active}. */
  WAIT_ACTIVE("wait until active"),
  /** Read the instance's public endpoint and GUID. */
  RESOLVE_ENDPOINT("resolve endpoint"),
  /** Load or generate the administrator's credential (in the backend's own format). */
  ADMIN_IDENTITY("admin identity"),
  /** Write or reuse the keyshare files and verify them (where the backend can do so offline). */
  KEYSHARES("keyshares"),
  /** List the instance's crypto units. */
  LIST_UNITS("list units"),
  /** Wait for a unit to leave {@code maintenance} (each unit has its own time budget). */
  WAIT_MAINTENANCE("wait out maintenance"),
  /** Install the administrator's public key on a unit. */
  CLAIM("claim"),
  /**
   * Generate the master key inside a unit's session (backends that cannot generate it locally; at
   * most once per instance, on the first unit that needs a key).
   */
  GENERATE_MASTER_KEY("generate master key"),
  /** Import the master key into a unit. */
  IMPORT_MASTER_KEY("import master key"),
  /** Add the {@code kmsCryptoUser} to a unit. */
  ADD_CRYPTO_USER("add crypto user"),
  /** Check that a unit holds the instance's master key (by its key check value). */
  VERIFY("verify key check value");

  private final String label;

  Step(String label) {
    this.label = label;
  }

  /** Returns whether this step concerns one crypto unit (as opposed to the whole instance). */
  public boolean isUnitStep() {
    return ordinal() >= WAIT_MAINTENANCE.ordinal();
  }

  /** Returns a short lower-case description for tables and logs, e.g. {@code import master key}. */
  public String label() {
    return label;
  }
}
