package io.kpdedicated.core;

import io.kpdedicated.core.spi.Operation;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The steps of an initialization, as progress events, plans and outcomes name them.
 *
 * <p>Instance-level steps ({@link #PROVISION} to {@link #VERIFY_INSTANCE}) run once per run; unit-level
 * steps ({@link #WAIT_MAINTENANCE} to {@link #VERIFY}) run per crypto unit that still needs them.
 * What each unit still needs, by its state, is decided by {@link UnitLifecycle}.
 */
public enum Step {
  /** Find the instance by name, or create it. */
  PROVISION("provision", Operation.FIND_INSTANCE, Operation.CREATE_INSTANCE,
      Operation.GET_INSTANCE),
  /** Wait until the instance is {@code active}. */
  WAIT_ACTIVE("wait until active", Operation.GET_INSTANCE),
  /** Read the instance's public endpoint and GUID. */
  RESOLVE_ENDPOINT("resolve endpoint"),
  /** Load or generate the administrator's credential (in the backend's own format). */
  ADMIN_IDENTITY("admin identity"),
  /** Write or reuse the keyshare files and verify them (where the backend can do so offline). */
  KEYSHARES("keyshares"),
  /** List the instance's crypto units. */
  LIST_UNITS("list units", Operation.LIST_UNITS),
  /**
   * Before any unit gets the master key: read the key check value of every unit of the instance
   * that holds a key (targeted or not), so that a second, different key is never loaded.
   */
  SURVEY_KEYS("read the instance's key check values", Operation.OPEN_SESSION,
      Operation.LIST_MASTER_KEYS),
  /** After the last load: check again that every unit of the instance holds the same key. */
  VERIFY_INSTANCE("verify one master key on the instance", Operation.LIST_UNITS,
      Operation.OPEN_SESSION, Operation.LIST_MASTER_KEYS),
  /** Wait for a unit to leave {@code maintenance} (each unit has its own time budget). */
  WAIT_MAINTENANCE("wait out maintenance", Operation.LIST_UNITS),
  /** Install the administrator's public key on a unit. */
  CLAIM("claim", Operation.CLAIM, Operation.LIST_UNITS),
  /**
   * Generate the master key inside a unit's session (backends that cannot generate it locally; at
   * most once per instance, on the first unit that needs a key).
   */
  GENERATE_MASTER_KEY("generate master key", Operation.OPEN_SESSION, Operation.LIST_MASTER_KEYS,
      Operation.GENERATE_MASTER_KEY),
  /** Import the master key into a unit. */
  IMPORT_MASTER_KEY("import master key", Operation.OPEN_SESSION, Operation.LIST_MASTER_KEYS,
      Operation.IMPORT_MASTER_KEY),
  /** Add the {@code kmsCryptoUser} to a unit. */
  ADD_CRYPTO_USER("add crypto user", Operation.CRYPTO_USER_METADATA, Operation.OPEN_SESSION,
      Operation.LIST_USERS, Operation.ADD_USER),
  /** Check that a unit holds the instance's master key (by its key check value). */
  VERIFY("verify key check value", Operation.OPEN_SESSION, Operation.LIST_MASTER_KEYS);

  private final String label;
  private final Set<Operation> operations;

  Step(String label, Operation... operations) {
    this.label = label;
    EnumSet<Operation> ops = EnumSet.noneOf(Operation.class);
    Collections.addAll(ops, operations);
    this.operations = Collections.unmodifiableSet(ops);
  }

  /**
   * Returns the transport operations this step makes (empty for local steps such as
   * {@link #KEYSHARES}): the one vocabulary of calls, grouped by what the initializer does.
   *
   * @return the operations, unmodifiable
   */
  public Set<Operation> operations() {
    return operations;
  }

  /** {@return whether this step concerns one crypto unit (as opposed to the whole instance)} */
  public boolean isUnitStep() {
    return ordinal() >= WAIT_MAINTENANCE.ordinal();
  }

  /**
   * {@return a short lower-case description for tables and logs, e.g. {@code import master key}}
   */
  public String label() {
    return label;
  }
}
