package io.kpdedicated.crypto;

import java.util.List;

/**
 * Writes a master key as K-of-N passphrase-protected keyshare files and opens, checks and rebuilds
 * it from them. Contract only; the crypto module work fills in the bodies and the option types.
 */
public final class Keyshares {
  private Keyshares() {}

  /**
   * Splits {@code key} into one share per target and writes every file, or none.
   *
   * @return the set's description (id, K, N, key name, check value)
   */
  public static KeyshareSetInfo write(
      MasterKey key, int minimum, List<KeyshareLocation> targets, KeyshareWriteOptions options) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /**
   * Opens every file, checks that they form one set with at least K distinct shares, rebuilds the
   * key and compares its check value. Destroys the key; returns what was verified.
   */
  public static KeyshareSetInfo verify(List<KeyshareLocation> locations) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Like {@link #verify} but returns the rebuilt key, which the caller must close. */
  public static MasterKey rebuild(List<KeyshareLocation> locations) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }
}
