package io.kpdedicated.nativehsm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/** Restricts files that IBM's library wrote to their owner (0600). Internal. */
public final class OwnerOnly {
  private OwnerOnly() {}

  /**
   * Sets {@code rw-------} on a file where the file system is POSIX; does nothing elsewhere.
   *
   * @param file an existing file
   * @throws UncheckedIOException if the permissions cannot be set
   */
  public static void restrict(Path file) {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    try {
      view.setPermissions(PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + file + " readable by its owner only (0600): "
          + e.getMessage() + "; it holds key material: fix its permissions by hand", e);
    }
  }
}
