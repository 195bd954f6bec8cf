package io.kpdedicated.nativehsm;

import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One master key share file of IBM's library and the passphrase that protects it. The caller keeps
 * ownership of the passphrase (it is read, never destroyed, by this SDK).
 *
 * @param file the share file (made absolute when the keyspec is built)
 * @param passphrase its passphrase
 */
public record ShareFile(Path file, Passphrase passphrase) {
  /**
   * Validates the fields.
   *
   * @param file the share file (made absolute when the keyspec is built)
   * @param passphrase its passphrase
   */
  public ShareFile {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(passphrase, "passphrase");
  }

  @Override
  public String toString() {
    return "ShareFile[file=" + file + ", passphrase=***]";
  }
}
