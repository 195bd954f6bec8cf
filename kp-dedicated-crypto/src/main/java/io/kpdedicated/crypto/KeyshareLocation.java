package io.kpdedicated.crypto;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one keyshare file lives and the passphrase that protects it.
 *
 * <p>The record does not copy or own the passphrase: the caller keeps it alive while the
 * location is used and destroys it afterwards. {@link #toString()} shows the path only.
 *
 * @param path the keyshare file
 * @param passphrase the passphrase of that file (6-255 characters)
 */
public record KeyshareLocation(Path path, Passphrase passphrase) {
  /**
   * Validates that both parts are present.
   *
   * @param path the keyshare file
   * @param passphrase the passphrase of that file (6-255 characters)
   */
  public KeyshareLocation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(passphrase, "passphrase");
  }

  @Override
  public String toString() {
    return "KeyshareLocation[" + path + "]";
  }
}
