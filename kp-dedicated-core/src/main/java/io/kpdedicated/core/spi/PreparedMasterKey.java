package io.kpdedicated.core.spi;

import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.model.CheckValue;
import java.util.Optional;

/**
 * The master key of a run as a backend prepared it: keyshares written or opened and checked (the
 * portable backend), or share files that a native library will write when it generates the key in
 * the first unit, or read when it imports. Opaque to the initializer apart from the facts below.
 * Thread-safe; close it when the run ends (it wipes any key material held in memory).
 */
public interface PreparedMasterKey extends AutoCloseable {

  /**
   * Returns the master key's name (1 to 8 characters).
   *
   * @return the name
   */
  String keyName();

  /**
   * Returns the check value every unit must hold, when it is known before any unit holds the key.
   * Empty for backends that learn it only from a unit (then the first unit's value becomes the
   * expected one, and the plan says it could not be checked offline).
   *
   * @return the check value, in the backend's text
   */
  Optional<CheckValue> checkValue();

  /**
   * Returns whether the keyshares were opened and checked before any unit was touched (they open
   * with their passphrases, form one set and rebuild a key with the stored check value).
   *
   * @return true when checked offline
   */
  boolean checkedOffline();

  /**
   * Returns whether the key does not exist yet and must be generated inside a unit's session
   * ({@link HsmSession#generateMasterKey}). Becomes false once it was generated.
   *
   * @return true until generated
   */
  boolean needsGeneration();

  /**
   * Returns what preparing the key did.
   *
   * @return generated, reused or given
   */
  KeysharesAction action();

  /**
   * Describes what was done for progress events (never secrets).
   *
   * @return the description
   */
  String description();

  /** Wipes any key material held in memory. Never throws. */
  @Override
  void close();
}
