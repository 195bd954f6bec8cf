package io.kpdedicated.crypto;

import java.util.Objects;

/**
 * A master key rebuilt from a verified keyshare set, with the set's description: what {@link
 * Keyshares#open} returns, so that a caller who needs both pays the passphrase KDF once.
 *
 * <p>{@link #close()} destroys the key; {@link #info()} stays readable (it is public). {@link
 * #toString()} shows the set description only. Thread-safe.
 */
public final class RebuiltKeyshares implements AutoCloseable {
  private final MasterKey key;
  private final KeyshareSetInfo info;

  RebuiltKeyshares(MasterKey key, KeyshareSetInfo info) {
    this.key = Objects.requireNonNull(key, "key");
    this.info = Objects.requireNonNull(info, "info");
  }

  /**
   * Returns the verified set description (id, K, N, key name, check value).
   *
   * @return the set description, never null
   */
  public KeyshareSetInfo info() {
    return info;
  }

  /**
   * Returns the rebuilt key, its check value verified against the files. It is owned by this
   * object: {@link #close()} destroys it.
   *
   * @return the key, never null
   */
  public MasterKey key() {
    return key;
  }

  /** Destroys the key. Idempotent. */
  @Override
  public void close() {
    key.destroy();
  }

  /** Returns the set description; never key bytes. */
  @Override
  public String toString() {
    return "RebuiltKeyshares[" + info + "]";
  }
}
