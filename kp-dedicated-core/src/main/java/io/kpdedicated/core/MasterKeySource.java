package io.kpdedicated.core;

import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the instance's master key comes from: generated and split into new keyshare files, or
 * rebuilt from keyshare files written before. Immutable values; create them with the static
 * factories, which validate everything that can be checked without touching the files.
 *
 * <p>The initializer does not take ownership of the passphrases in the locations.
 */
public sealed interface MasterKeySource {

  /**
   * Generates an AES-256 master key and splits it into one keyshare file per target, any
   * {@code minimum} of which rebuild it.
   *
   * <p>Resumable: when every target file exists already and they verify as one set with this
   * minimum, they are reused (a run crashed after writing them); when none exists, they are
   * written, all or none; when only some exist, the run fails naming them.
   *
   * @param keyName the master key's name, 1 to 8 characters
   * @param minimum K, the shares needed to rebuild the key: 2 &lt;= K &lt;= N
   * @param targets the N &gt;= 2 keyshare files with their passphrases (distinct paths)
   * @return the source
   * @throws NullPointerException if an argument or element is null
   * @throws IllegalArgumentException if a rule above is broken (the message says which)
   */
  static MasterKeySource generate(String keyName, int minimum, List<KeyshareLocation> targets) {
    return new Generate(keyName, minimum, targets);
  }

  /**
   * Rebuilds the master key from existing keyshare files (at least K of them).
   *
   * @param shares the keyshare files with their passphrases (distinct paths, at least 2)
   * @return the source
   * @throws NullPointerException if the list or an element is null
   * @throws IllegalArgumentException if fewer than 2 files are given or a path repeats
   */
  static MasterKeySource existing(List<KeyshareLocation> shares) {
    return new Existing(shares);
  }

  /** {@return the keyshare locations this source reads or writes} */
  List<KeyshareLocation> locations();

  /**
   * Generate new keyshares (or reuse the complete set left by an earlier run).
   *
   * @param keyName the key name
   * @param minimum K
   * @param targets the files to write (copied)
   */
  record Generate(String keyName, int minimum, List<KeyshareLocation> targets)
      implements MasterKeySource {
    /**
     * Validates and copies.
     *
     * @param keyName the key name
     * @param minimum K
     * @param targets the files to write (copied)
     */
    public Generate {
      Objects.requireNonNull(keyName, "keyName");
      if (keyName.isEmpty() || keyName.length() > MasterKey.MAX_NAME_LENGTH) {
        throw new IllegalArgumentException("keyName must have 1 to " + MasterKey.MAX_NAME_LENGTH
            + " characters (the HSM's limit), it has " + keyName.length());
      }
      if (!keyName.strip().equals(keyName) || keyName.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            "keyName must not start or end with blanks nor hold control characters");
      }
      targets = checkLocations(targets, "targets");
      if (minimum < 2) {
        throw new IllegalArgumentException("minimum must be at least 2 (one share alone must never"
            + " rebuild the key), got " + minimum);
      }
      if (minimum > targets.size()) {
        throw new IllegalArgumentException("minimum must not exceed the number of keyshares ("
            + targets.size() + "), got " + minimum);
      }
    }

    @Override
    public List<KeyshareLocation> locations() {
      return targets;
    }
  }

  /**
   * Rebuild from existing keyshares.
   *
   * @param shares the files to read (copied)
   */
  record Existing(List<KeyshareLocation> shares) implements MasterKeySource {
    /**
     * Validates and copies.
     *
     * @param shares the files to read (copied)
     */
    public Existing {
      shares = checkLocations(shares, "shares");
    }

    @Override
    public List<KeyshareLocation> locations() {
      return shares;
    }
  }

  /**
   * Checks a list of keyshare locations: at least 2, no nulls, distinct paths after normalization,
   * passphrases alive and 6-255 characters.
   *
   * @param locations the list
   * @param what the parameter name for messages
   * @return an unmodifiable copy
   */
  private static List<KeyshareLocation> checkLocations(List<KeyshareLocation> locations,
      String what) {
    Objects.requireNonNull(locations, what);
    List<KeyshareLocation> copy = List.copyOf(locations);
    if (copy.size() < 2) {
      throw new IllegalArgumentException(what + " must hold at least 2 keyshare files, got "
          + copy.size());
    }
    if (copy.size() > 255) {
      throw new IllegalArgumentException(what + " must hold at most 255 keyshare files, got "
          + copy.size());
    }
    Map<Path, Integer> seen = new HashMap<>();
    for (int i = 0; i < copy.size(); i++) {
      KeyshareLocation location = copy.get(i);
      Path normalized = location.path().toAbsolutePath().normalize();
      Integer earlier = seen.putIfAbsent(normalized, i);
      if (earlier != null) {
        throw new IllegalArgumentException(what + " name the same file twice (#" + (earlier + 1)
            + " and #" + (i + 1) + ": " + normalized + "); give every keyshare its own file");
      }
      Passphrase passphrase = location.passphrase();
      int length;
      try {
        length = passphrase.length();
      } catch (IllegalStateException destroyed) {
        throw new IllegalArgumentException("the passphrase of keyshare #" + (i + 1) + " ("
            + location.path() + ") was destroyed before use", destroyed);
      }
      if (length < Passphrase.MIN_LENGTH || length > Passphrase.MAX_LENGTH) {
        throw new IllegalArgumentException("the passphrase of keyshare #" + (i + 1) + " ("
            + location.path() + ") must have " + Passphrase.MIN_LENGTH + " to "
            + Passphrase.MAX_LENGTH + " characters");
      }
    }
    return copy;
  }
}
