package io.kpdedicated.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A new temporary folder for the key files of an example run against the in-memory cloud, deleted
 * on {@link #close()}: its keys belong to a cloud that ends with the program, and its passphrases
 * are written in the example's source, so nothing is worth keeping. Not thread-safe.
 */
final class ExampleFolder implements AutoCloseable {
  private final Path path;

  private ExampleFolder(Path path) {
    this.path = path;
  }

  /**
   * Creates the folder (owner-only, as {@link Files#createTempDirectory} does on POSIX).
   *
   * @return the new folder
   * @throws IOException if it cannot be created
   */
  static ExampleFolder create() throws IOException {
    return new ExampleFolder(Files.createTempDirectory("kpd-example-"));
  }

  /** Returns the folder. */
  Path path() {
    return path;
  }

  /**
   * Deletes the folder and every file in it.
   *
   * @throws UncheckedIOException if a file cannot be deleted
   */
  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(path)) {
      List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : deepestFirst) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the example folder " + path, e);
    }
  }
}
