package io.kpdedicated.crypto;

import java.nio.file.Path;

/**
 * Opens each keyshare file named on the command line with a dummy passphrase and prints {@code
 * <file>: <reason>} for each; run in a child JVM with a small heap by {@link
 * HostileKeyshareFilesTest}. Exit 0 whenever every file got a typed answer.
 */
final class OpenKeyshareMain {
  private OpenKeyshareMain() {}

  public static void main(String[] args) {
    try (Passphrase passphrase = Passphrase.of("child-jvm-passphrase")) {
      for (String arg : args) {
        Path file = Path.of(arg);
        String outcome;
        try {
          Keyshares.verifyFile(new KeyshareLocation(file, passphrase));
          outcome = "OPENED";
        } catch (KeyFileException e) {
          outcome = e.reason().name();
        }
        System.out.println(file + ": " + outcome);
      }
    }
  }
}
