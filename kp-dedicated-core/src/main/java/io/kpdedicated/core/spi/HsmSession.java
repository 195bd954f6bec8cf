package io.kpdedicated.core.spi;

import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import java.util.List;

/**
 * An administrator's session on one crypto unit, opened by
 * {@link HsmBackend#openSession(io.kpdedicated.core.model.InstanceTarget, String, AdminCredential)}.
 * Used by one thread at a time; close it when done.
 */
public interface HsmSession extends AutoCloseable {

  /**
   * Returns the unit this session talks to.
   *
   * @return the unit id
   */
  String unitId();

  /**
   * Lists the unit's users. Read-only.
   *
   * @return the users
   */
  List<CryptoUser> listUsers();

  /**
   * Adds a user. Adding a user that exists fails with a {@link ServiceException} of kind
   * {@link FailureKind#ALREADY_EXISTS}.
   *
   * @param user the user to add
   */
  void addUser(NewUser user);

  /**
   * Lists the master keys loaded in the unit, with their check values in the backend's text.
   * Read-only.
   *
   * @return the keys, empty when none
   */
  List<MasterKeyInfo> listMasterKeys();

  /**
   * Generates the instance's master key inside this unit and writes its keyshares, for backends
   * whose master key cannot exist before a unit holds it ({@link PreparedMasterKey#needsGeneration()}
   * true). The initializer calls it at most once per instance: on the first unit that needs a key,
   * alone, and only when no unit of the instance holds a key. Afterwards {@code key} describes the
   * generated key and can be imported into the other units.
   *
   * @param key the prepared master key
   * @return the key the unit now holds (name and check value)
   * @throws UnsupportedOperationException if the backend generates keys elsewhere (the default)
   */
  default MasterKeyInfo generateMasterKey(PreparedMasterKey key) {
    throw new UnsupportedOperationException("this backend does not generate master keys inside a"
        + " unit");
  }

  /**
   * Imports the master key into the unit. How the key travels is the backend's business (the
   * portable backend encrypts it to the unit's import key; a native backend imports from its share
   * files). The caller keeps ownership of {@code key}.
   *
   * @param key the prepared master key
   * @return what the unit reports after loading it (name and check value)
   */
  MasterKeyInfo importMasterKey(PreparedMasterKey key);

  /** Ends the session. Never throws for an already closed session. */
  @Override
  void close();
}
