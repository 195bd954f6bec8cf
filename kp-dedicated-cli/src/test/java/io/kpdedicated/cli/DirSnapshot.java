package io.kpdedicated.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every file under a folder with the SHA-256 of its content: to assert that nothing changed. */
final class DirSnapshot {
  private DirSnapshot() {}

  static Map<String, String> of(Path dir) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = dir.relativize(p).toString();
        if (Files.isDirectory(p)) {
          files.put(rel + "/", "dir");
        } else {
          files.put(rel, HexFormat.of().formatHex(
              MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return files;
  }
}
