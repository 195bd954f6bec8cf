package io.kpdedicated.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes files that hold secrets: owner-only, atomically, and never over an existing file unless
 * the caller asks for it.
 *
 * <p>How a file is written: a temporary file is created in the target's folder with permissions
 * {@code rw-------} (0600) from the start where the file system is POSIX (the permissions are never
 * changed after data was written), the bytes are written and forced to the device (fsync), then the
 * temporary file is moved to its final name in one atomic step and the folder is forced too where
 * the platform allows it. Without overwrite the final step is a hard link, which the operating
 * system refuses atomically when the target exists, so a file created concurrently by someone else
 * is not replaced either. If anything fails, the temporary file is deleted and the target is left
 * as it was.
 *
 * <p>All methods are static and thread-safe. Nothing is logged; messages name the file, never the
 * content.
 */
public final class SecureFiles {
  private static final String TEMP_PREFIX = ".kpd-";
  private static final String TEMP_SUFFIX = ".tmp";

  private SecureFiles() {}

  /**
   * Writes {@code content} to {@code target} atomically with owner-only permissions.
   *
   * @param target the file to write; its folder must exist
   * @param content the bytes to write; not modified and not kept
   * @param overwrite whether an existing {@code target} may be replaced
   * @throws NullPointerException if {@code target} or {@code content} is null
   * @throws KeyFileException with {@link KeyFileException.Reason#ALREADY_EXISTS} if {@code target}
   *     exists and {@code overwrite} is false, or {@link KeyFileException.Reason#WRITE_FAILED} if the
   *     file could not be written (nothing is left behind then)
   */
  public static void writeAtomically(Path target, byte[] content, boolean overwrite) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(content, "content");
    writeAllAtomically(Map.of(target, content), overwrite);
  }

  /**
   * Writes several files as one unit: either every file is written, or none of them is left
   * behind. Every temporary file is written and forced first; only then are they moved into place.
   * If a move fails, the files of this call already moved are deleted again. (With {@code
   * overwrite}, a file replaced before the failure keeps the new content deleted, so its old
   * content is gone: use overwrite only when losing the old files is acceptable.)
   *
   * @param files target path to content, in the order to write; contents are not modified
   * @param overwrite whether existing targets may be replaced
   * @throws NullPointerException if {@code files}, a key or a value is null
   * @throws IllegalArgumentException if two keys name the same file
   * @throws KeyFileException {@link KeyFileException.Reason#ALREADY_EXISTS} naming the first
   *     existing target when {@code overwrite} is false (checked before anything is written), or
   *     {@link KeyFileException.Reason#WRITE_FAILED} naming the file that failed
   */
  public static void writeAllAtomically(Map<Path, byte[]> files, boolean overwrite) {
    Objects.requireNonNull(files, "files");
    Map<Path, byte[]> targets = new LinkedHashMap<>();
    Set<Path> seen = new HashSet<>();
    for (Map.Entry<Path, byte[]> e : files.entrySet()) {
      Path target = Objects.requireNonNull(e.getKey(), "target");
      Objects.requireNonNull(e.getValue(), "content");
      if (!seen.add(target.toAbsolutePath().normalize())) {
        throw new IllegalArgumentException("the file " + target + " is named twice");
      }
      targets.put(target, e.getValue());
    }
    if (!overwrite) {
      for (Path target : targets.keySet()) {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          throw alreadyExists(target, null);
        }
      }
    }
    List<Path[]> staged = new ArrayList<>();
    try {
      for (Map.Entry<Path, byte[]> e : targets.entrySet()) {
        Path tmp = writeTemp(e.getKey(), e.getValue());
        staged.add(new Path[] {tmp, e.getKey()});
      }
    } catch (KeyFileException e) {
      for (Path[] pair : staged) {
        deleteQuietly(pair[0]);
      }
      throw e;
    }
    List<Path> moved = new ArrayList<>();
    try {
      for (Path[] pair : staged) {
        moveIntoPlace(pair[0], pair[1], overwrite);
        moved.add(pair[1]);
      }
    } catch (KeyFileException e) {
      for (Path done : moved) {
        deleteQuietly(done);
      }
      for (Path[] pair : staged) {
        deleteQuietly(pair[0]);
      }
      throw e;
    }
    Set<Path> folders = new HashSet<>();
    for (Path target : moved) {
      folders.add(folderOf(target));
    }
    folders.forEach(SecureFiles::forceFolder);
  }

  /**
   * Creates a folder for files that hold secrets: owner-only ({@code rwx------}, 0700) from the
   * start where the file system is POSIX; missing parent folders are created with default
   * permissions. An existing folder is left as it is.
   *
   * @param folder the folder to create
   * @return true if it was created, false if it existed already
   * @throws NullPointerException if {@code folder} is null
   * @throws KeyFileException {@link KeyFileException.Reason#WRITE_FAILED} if it cannot be created
   *     or the path names something that is not a folder
   */
  public static boolean createOwnerOnlyFolder(Path folder) {
    Objects.requireNonNull(folder, "folder");
    Path abs = folder.toAbsolutePath().normalize();
    if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      Path parent = abs.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (isPosix(parent == null ? abs : parent)) {
        Files.createDirectory(abs,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(abs);
      }
      return true;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      throw new KeyFileException(
          KeyFileException.Reason.WRITE_FAILED,
          abs,
          "cannot create the folder " + abs + " (" + e.getClass().getSimpleName()
              + "); check that its parent is writable and that no file has that name",
          e);
    }
  }

  /** Returns whether the file system of {@code path} supports POSIX permissions. */
  static boolean isPosix(Path path) {
    FileSystem fs = path.getFileSystem();
    return fs.supportedFileAttributeViews().contains("posix");
  }

  private static Path folderOf(Path target) {
    Path parent = target.toAbsolutePath().getParent();
    return parent == null ? target.toAbsolutePath() : parent;
  }

  private static Path writeTemp(Path target, byte[] content) {
    Path folder = folderOf(target);
    Path tmp;
    try {
      if (isPosix(folder)) {
        FileAttribute<Set<PosixFilePermission>> ownerOnly =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        tmp = Files.createTempFile(folder, TEMP_PREFIX, TEMP_SUFFIX, ownerOnly);
      } else {
        tmp = Files.createTempFile(folder, TEMP_PREFIX, TEMP_SUFFIX);
      }
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      throw writeFailed(target, "cannot create a temporary file in its folder", e);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(tmp);
      throw writeFailed(target, "writing the temporary file failed", e);
    }
    return tmp;
  }

  private static void moveIntoPlace(Path tmp, Path target, boolean overwrite) {
    try {
      if (overwrite) {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        linkWithoutReplacing(tmp, target);
      }
    } catch (FileAlreadyExistsException e) {
      throw alreadyExists(target, e);
    } catch (IOException | RuntimeException e) {
      throw writeFailed(target, "moving the finished file into place failed", e);
    }
  }

  private static void linkWithoutReplacing(Path tmp, Path target) throws IOException {
    try {
      Files.createLink(target, tmp);
    } catch (UnsupportedOperationException | IOException e) {
      if (e instanceof FileAlreadyExistsException) {
        throw (FileAlreadyExistsException) e;
      }
      // No hard links on this file system: check, then rename atomically.
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(target.toString());
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    // The target is in place; the temporary name is only a second link to it.
    deleteQuietly(tmp);
  }

  private static void forceFolder(Path folder) {
    // Forcing a folder makes the rename durable on POSIX; other platforms refuse to open a
    // folder as a channel, which is harmless.
    try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      // best effort only
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException | RuntimeException e) {
      // best effort: nothing more can be done
    }
  }

  private static KeyFileException alreadyExists(Path target, Throwable cause) {
    return new KeyFileException(
        KeyFileException.Reason.ALREADY_EXISTS,
        target,
        "the file " + target + " already exists; choose another name, move the file away, "
            + "or ask explicitly to overwrite it",
        cause);
  }

  private static KeyFileException writeFailed(Path target, String what, Throwable cause) {
    return new KeyFileException(
        KeyFileException.Reason.WRITE_FAILED,
        target,
        "cannot write the file " + target + ": " + what + " (" + cause.getClass().getSimpleName()
            + "); check that the folder exists and is writable; nothing was left behind",
        cause);
  }
}
