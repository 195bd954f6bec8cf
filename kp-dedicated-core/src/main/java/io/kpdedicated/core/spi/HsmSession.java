package io.kpdedicated.core.spi;

import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.crypto.MasterKey;
import java.util.List;

/**
 * An administrator's session on one crypto unit. Used by one thread at a time; close it when done.
 */
public interface HsmSession extends AutoCloseable {

  /** Returns the unit this session talks to. */
  String unitId();

  /** Lists the unit's users. */
  List<CryptoUser> listUsers();

  /**
   * Adds a user. Adding a user that exists fails with a {@link ServiceException}.
   *
   * @param user the user to add
   */
  void addUser(NewUser user);

  /** Lists the master keys loaded in the unit, with their check values (empty when none). */
  List<MasterKeyInfo> listMasterKeys();

  /**
   * Imports the master key into the unit. The key never travels in clear: implementations encrypt
   * it to the unit's import key. The caller keeps ownership of {@code key} (it is not destroyed).
   *
   * @param key the master key
   * @return what the unit reports after loading it (name and check value)
   */
  MasterKeyInfo importMasterKey(MasterKey key);

  /** Ends the session. Never throws for an already closed session. */
  @Override
  void close();
}
