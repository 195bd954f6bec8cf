package io.kpdedicated.core.portable;

import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareSetInfo;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RebuiltKeyshares;
import java.util.List;

/**
 * The keyshare file operations {@link PortableMasterKey} uses, each of which runs one passphrase
 * KDF per file: {@link #STANDARD} is {@link Keyshares}; tests wrap it to count how often the files
 * are written and opened.
 */
interface KeyshareFiles {
  /** The operations of {@link Keyshares}. */
  KeyshareFiles STANDARD = new KeyshareFiles() {
    @Override
    public KeyshareSetInfo write(MasterKey key, int minimum, List<KeyshareLocation> targets,
        KeyshareWriteOptions options) {
      return Keyshares.write(key, minimum, targets, options);
    }

    @Override
    public RebuiltKeyshares open(List<KeyshareLocation> locations) {
      return Keyshares.open(locations);
    }
  };

  /** See {@link Keyshares#write}. */
  KeyshareSetInfo write(MasterKey key, int minimum, List<KeyshareLocation> targets,
      KeyshareWriteOptions options);

  /** See {@link Keyshares#open}. */
  RebuiltKeyshares open(List<KeyshareLocation> locations);
}
