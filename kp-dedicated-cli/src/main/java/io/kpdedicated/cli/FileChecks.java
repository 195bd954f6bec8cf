package io.kpdedicated.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Checks on files named on the command line, made before anything is written. Stateless. */
final class FileChecks {
  private FileChecks() {}

  /** Fails unless {@code file} can be created: it does not exist and its folder does. */
  static void requireNew(Path file, String what) {
    if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw CliException.badInput(what + " " + file + " already exists; kpd never overwrites a key"
          + " file: choose another name or move the old file away");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw CliException.badInput("the folder of " + what + " " + file
          + " does not exist; create it first");
    }
  }

  /** Fails unless {@code file} is a readable regular file. */
  static void requireReadable(Path file, String what) {
    if (!Files.exists(file)) {
      throw CliException.badInput(what + " " + file + " does not exist");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw CliException.badInput(what + " " + file + " is not a readable file");
    }
  }

  /** Fails if the same file is named twice. */
  static void requireDistinct(Collection<Path> files, String what) {
    Set<Path> seen = new HashSet<>();
    for (Path p : files) {
      if (!seen.add(p.toAbsolutePath().normalize())) {
        throw CliException.badInput(what + " names " + p + " twice");
      }
    }
  }
}
