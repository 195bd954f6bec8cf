package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kpdedicated.crypto.KeyFileException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureFilesTest {
  /**
   * Whether the test folder's file system has POSIX permissions, asked of the file system itself
   * (not of the class under test, whose answer is checked below).
   */
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Set<String> namesIn(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
    }
  }

  @Test
  void writesTheContentIntoAnOwnerOnlyFile() throws IOException {
    Path target = dir.resolve("secret.bin");
    SecureFiles.writeAtomically(target, bytes("hello"), false);

    assertThat(Files.readAllBytes(target)).isEqualTo(bytes("hello"));
    assumeTrue(POSIX, "POSIX permissions");
    assertThat(Files.getPosixFilePermissions(target))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(namesIn(dir)).containsExactly("secret.bin");
  }

  @Test
  void refusesToReplaceAnExistingFileUnlessAskedTo() throws IOException {
    Path target = dir.resolve("secret.bin");
    Files.write(target, bytes("old"));

    assertThatThrownBy(() -> SecureFiles.writeAtomically(target, bytes("new"), false))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS);
              assertThat(e.file()).contains(target);
              assertThat(e.getMessage()).contains(target.toString()).contains("overwrite");
            });
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes("old"));
    assertThat(namesIn(dir)).containsExactly("secret.bin");

    SecureFiles.writeAtomically(target, bytes("new"), true);
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes("new"));
    assumeTrue(POSIX, "POSIX permissions");
    assertThat(Files.getPosixFilePermissions(target))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void reportsAWriteFailureAndLeavesNothingBehindWhenTheFolderIsMissing() {
    Path target = dir.resolve("missing").resolve("secret.bin");

    assertThatThrownBy(() -> SecureFiles.writeAtomically(target, bytes("x"), false))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.WRITE_FAILED);
              assertThat(e.getMessage()).contains(target.toString());
            });
    assertThat(dir.resolve("missing")).doesNotExist();
  }

  @Test
  void writesAllFilesOrNoneWhenOneTargetAlreadyExists() throws IOException {
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(dir.resolve("a"), bytes("a"));
    files.put(dir.resolve("b"), bytes("b"));
    files.put(dir.resolve("c"), bytes("c"));
    Files.write(dir.resolve("c"), bytes("old"));

    assertThatThrownBy(() -> SecureFiles.writeAllAtomically(files, false))
        .isInstanceOfSatisfying(
            KeyFileException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));
    assertThat(namesIn(dir)).containsExactly("c");
  }

  @Test
  void removesTheFilesAlreadyMovedWhenALaterMoveFails() throws IOException {
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(dir.resolve("a"), bytes("a"));
    files.put(dir.resolve("b"), bytes("b"));
    files.put(dir.resolve("c"), bytes("c"));
    // "b" is a folder that is not empty: no file can be moved onto it, even with overwrite.
    Files.createDirectories(dir.resolve("b"));
    Files.write(dir.resolve("b").resolve("inside"), bytes("keep"));

    assertThatThrownBy(() -> SecureFiles.writeAllAtomically(files, true))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.WRITE_FAILED);
              assertThat(e.file()).contains(dir.resolve("b"));
            });
    assertThat(namesIn(dir)).containsExactly("b");
    assertThat(namesIn(dir.resolve("b"))).containsExactly("inside");
  }

  @Test
  void rejectsTheSameTargetTwice() {
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(dir.resolve("a"), bytes("a"));
    files.put(dir.resolve("x").resolve("..").resolve("a"), bytes("b"));

    assertThatThrownBy(() -> SecureFiles.writeAllAtomically(files, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOwnerOnlyFolderIsCreatedWithMode0700AndAnExistingOneIsLeftAlone() throws IOException {
    Path folder = dir.resolve("a/b/secrets");

    assertThat(SecureFiles.createOwnerOnlyFolder(folder)).isTrue();
    assertThat(SecureFiles.createOwnerOnlyFolder(folder)).isFalse();

    assertThat(folder).isDirectory();
    assumeTrue(SecureFiles.isPosix(dir), "POSIX permissions");
    assertThat(Files.getPosixFilePermissions(folder)).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE);
  }

  @Test
  void aFileWhereTheFolderShouldBeIsAWriteFailureNamingIt() throws IOException {
    Path file = dir.resolve("taken");
    Files.writeString(file, "x");

    assertThatThrownBy(() -> SecureFiles.createOwnerOnlyFolder(file))
        .isInstanceOfSatisfying(KeyFileException.class,
            e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.WRITE_FAILED))
        .hasMessageContaining(file.toString());
  }

  @Test
  void knowsWhetherAFileSystemHasPosixPermissions() throws IOException {
    assertThat(SecureFiles.isPosix(dir)).isEqualTo(POSIX);
    try (FileSystem zip = zipFileSystem()) {
      assertThat(SecureFiles.isPosix(zip.getPath("/"))).isFalse();
    }
  }

  @Test
  void onPosixTheFileIsOwnerOnlyWhateverTheUmask() throws IOException {
    assumeTrue(POSIX, "POSIX permissions");
    Path target = dir.resolve("secret.bin");
    Path replaced = dir.resolve("replaced.bin");
    Files.write(replaced, bytes("old"));
    Files.setPosixFilePermissions(replaced, PosixFilePermissions.fromString("rw-rw-rw-"));

    SecureFiles.writeAtomically(target, bytes("new"), false);
    SecureFiles.writeAtomically(replaced, bytes("new"), true);

    for (Path p : new Path[] {target, replaced}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
          .as("%s", p)
          .isEqualTo("rw-------");
    }
  }

  private FileSystem zipFileSystem() throws IOException {
    Path zip = dir.resolve("folder.zip");
    return FileSystems.newFileSystem(
        URI.create("jar:" + zip.toUri()), Map.of("create", "true"));
  }

  @Test
  void onAFileSystemWithoutPosixPermissionsTheFileIsWrittenWithoutThem() throws IOException {
    try (FileSystem zip = zipFileSystem()) {
      Path target = zip.getPath("/secret.bin");
      Files.write(zip.getPath("/existing.bin"), bytes("old"));

      SecureFiles.writeAtomically(target, bytes("hello"), false);
      assertThatThrownBy(
              () -> SecureFiles.writeAtomically(zip.getPath("/existing.bin"), bytes("x"), false))
          .isInstanceOfSatisfying(
              KeyFileException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));

      assertThat(Files.readAllBytes(target)).isEqualTo(bytes("hello"));
      assertThat(Files.readAllBytes(zip.getPath("/existing.bin"))).isEqualTo(bytes("old"));
      try (Stream<Path> files = Files.list(zip.getPath("/"))) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("secret.bin", "existing.bin");
      }
    }
  }

  @Test
  void anExistingTargetIsRefusedBeforeAnyFileIsStaged() throws IOException {
    // The first target cannot be staged (its folder is missing); the existing second target must
    // be reported first, because the existence check comes before any writing.
    Map<Path, byte[]> files = new LinkedHashMap<>();
    Path unwritable = dir.resolve("missing").resolve("a");
    Path existing = dir.resolve("b");
    files.put(unwritable, bytes("a"));
    files.put(existing, bytes("b"));
    Files.write(existing, bytes("old"));

    assertThatThrownBy(() -> SecureFiles.writeAllAtomically(files, false))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS);
              assertThat(e.file()).contains(existing);
              assertThat(e.getCause()).isNull();
            });
    assertThat(namesIn(dir)).containsExactly("b");
  }

  @Test
  void theFinalStepRefusesATargetThatAppearedAfterTheCheck() throws IOException {
    // Two names for one file, through a symbolic link to the folder: the upfront check sees two
    // missing targets, the final step (a hard link, which never replaces) refuses the second.
    Path real = Files.createDirectories(dir.resolve("real"));
    Path alias = dir.resolve("alias");
    try {
      Files.createSymbolicLink(alias, real);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "symbolic links: " + e);
    }
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(real.resolve("s"), bytes("first"));
    files.put(alias.resolve("s"), bytes("second"));

    assertThatThrownBy(() -> SecureFiles.writeAllAtomically(files, false))
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS);
              assertThat(e.file()).contains(alias.resolve("s"));
              assertThat(e.getCause()).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
            });
    assertThat(namesIn(real)).as("the first file was removed again, no temporary left").isEmpty();
  }

  @Test
  void leavesNoTemporaryFileBesideAWrittenFile() throws IOException {
    Map<Path, byte[]> files = new LinkedHashMap<>();
    files.put(dir.resolve("a"), bytes("a"));
    files.put(dir.resolve("b"), bytes("b"));

    SecureFiles.writeAllAtomically(files, false);
    SecureFiles.writeAllAtomically(Map.of(dir.resolve("a"), bytes("A")), true);

    assertThat(namesIn(dir)).containsExactlyInAnyOrder("a", "b");
    assertThat(Files.readAllBytes(dir.resolve("a"))).isEqualTo(bytes("A"));
    assertThat(Files.readAllBytes(dir.resolve("b"))).isEqualTo(bytes("b"));
  }
}
