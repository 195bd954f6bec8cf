package io.kpdedicated.crypto;

import java.security.SecureRandom;
import javax.security.auth.Destroyable;

/**
 * An AES-256 master key with its name (at most 8 characters) and key check value.
 *
 * <p>The key bytes are wiped by {@link #close()}; {@link #toString()} shows the name and check
 * value only. Thread-safe.
 */
public final class MasterKey implements Destroyable, AutoCloseable {
  /** Length of the key in bytes (AES-256). */
  public static final int KEY_BYTES = 32;
  /** Longest key name accepted by the HSM. */
  public static final int MAX_NAME_LENGTH = 8;

  private MasterKey() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /**
   * Generates a new key of 32 bytes from {@code random}.
   *
   * @param name key name, 1 to 8 characters
   * @param random the source of randomness (a {@link SecureRandom})
   * @return the new key
   */
  public static MasterKey generate(String name, SecureRandom random) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /**
   * Wraps existing key bytes (copied; the caller may wipe its array).
   *
   * @param name key name, 1 to 8 characters
   * @param keyBytes exactly 32 bytes
   * @return the key
   */
  public static MasterKey of(String name, byte[] keyBytes) {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Returns the key name. */
  public String name() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Returns the key check value. */
  public KeyCheckValue checkValue() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  /** Returns a copy of the key bytes that the caller must wipe. */
  public byte[] copyKeyBytes() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  @Override
  public void destroy() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  @Override
  public boolean isDestroyed() {
    throw new UnsupportedOperationException("implemented by the crypto module work");
  }

  @Override
  public void close() {
    destroy();
  }
}
