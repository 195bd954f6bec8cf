package io.kpdedicated.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * An AES-256 master key with its name (at most 8 characters) and key check value.
 *
 * <p>The key bytes are wiped by {@link #close()} (or {@link #destroy()}); afterwards {@link
 * #copyKeyBytes()} throws {@link IllegalStateException}, while {@link #name()} and {@link
 * #checkValue()} (public facts) stay readable. {@link #toString()} shows the name and check value
 * only. Thread-safe.
 */
public final class MasterKey implements Destroyable, AutoCloseable {
  /** Length of the key in bytes (AES-256). */
  public static final int KEY_BYTES = 32;
  /** Longest key name accepted by the HSM. */
  public static final int MAX_NAME_LENGTH = 8;

  private final String name;
  private final KeyCheckValue checkValue;
  private final byte[] key;
  private boolean destroyed;

  private MasterKey(String name, byte[] ownedKey) {
    this.name = name;
    this.key = ownedKey;
    this.checkValue = KeyCheckValue.of(ownedKey);
  }

  /**
   * Generates a new key of 32 bytes from {@code random}.
   *
   * @param name key name, 1 to 8 characters, no control characters
   * @param random the source of randomness (a {@link SecureRandom})
   * @return the new key
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is empty, longer than 8 characters or holds
   *     control characters
   */
  public static MasterKey generate(String name, SecureRandom random) {
    checkName(name);
    Objects.requireNonNull(random, "random");
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    return new MasterKey(name, bytes);
  }

  /**
   * Wraps existing key bytes (copied; the caller may wipe its array).
   *
   * @param name key name, 1 to 8 characters, no control characters
   * @param keyBytes exactly 32 bytes
   * @return the key
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is invalid or the key is not 32 bytes long
   */
  public static MasterKey of(String name, byte[] keyBytes) {
    checkName(name);
    Objects.requireNonNull(keyBytes, "keyBytes");
    if (keyBytes.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a master key has " + KEY_BYTES + " bytes, this one has " + keyBytes.length);
    }
    return new MasterKey(name, keyBytes.clone());
  }

  /**
   * Checks a master key name: 1 to 8 characters, none of them a control character.
   *
   * @param name the name to check
   * @return the name
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if the name breaks the rule (the message says which part)
   */
  public static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "a master key name has 1 to " + MAX_NAME_LENGTH + " characters, this one has "
              + name.length());
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a master key name must not hold control characters");
    }
    return name;
  }

  /** {@return the key name} */
  public String name() {
    return name;
  }

  /** {@return the key check value (see {@link KeyCheckValue} for the method)} */
  public KeyCheckValue checkValue() {
    return checkValue;
  }

  /**
   * {@return a copy of the key bytes that the caller must wipe}
   *
   * @throws IllegalStateException if the key was destroyed
   */
  public synchronized byte[] copyKeyBytes() {
    if (destroyed) {
      throw new IllegalStateException("master key " + name + " was destroyed");
    }
    return key.clone();
  }

  /** Overwrites the key bytes with zeros. Idempotent. */
  @Override
  public synchronized void destroy() {
    Arrays.fill(key, (byte) 0);
    destroyed = true;
  }

  @Override
  public synchronized boolean isDestroyed() {
    return destroyed;
  }

  /** Same as {@link #destroy()}. */
  @Override
  public void close() {
    destroy();
  }

  /** Returns the name and check value, never key bytes. */
  @Override
  public String toString() {
    return "MasterKey[name=" + name + ", checkValue=" + checkValue + "]";
  }
}
