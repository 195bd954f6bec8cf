package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kpdedicated.crypto.KeyFileException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureFilesTest {
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
    assumeTrue(SecureFiles.isPosix(dir), "POSIX permissions");
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
    assumeTrue(SecureFiles.isPosix(dir), "POSIX permissions");
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
}
