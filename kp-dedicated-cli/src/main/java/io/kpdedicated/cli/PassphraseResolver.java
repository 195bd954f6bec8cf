package io.kpdedicated.cli;

import io.kpdedicated.crypto.Passphrase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link SecretFile}'s passphrase source into a {@link Passphrase}: a literal, an
 * environment variable, the first line of a file, an entry of the {@code --passphrases} file, or an
 * interactive prompt without echo (asked twice when a new file is created). Messages name the file
 * and the source, never the passphrase.
 *
 * <p>Not thread-safe; one per command run. {@link #close()} wipes what it read.
 */
final class PassphraseResolver implements AutoCloseable {
  /** What the passphrase is for: opening an existing file or protecting a new one. */
  enum Use { OPEN, CREATE }

  private final CliContext ctx;
  private final Map<Path, char[]> fromPassphrasesFile = new HashMap<>();
  private final String passphrasesFileName;

  private PassphraseResolver(CliContext ctx, Path passphrasesFile) {
    this.ctx = ctx;
    this.passphrasesFileName = passphrasesFile == null ? null : passphrasesFile.toString();
    if (passphrasesFile != null) {
      loadPassphrasesFile(passphrasesFile);
    }
  }

  /** Creates a resolver; {@code passphrasesFile} is the optional {@code --passphrases} file. */
  static PassphraseResolver of(CliContext ctx, Path passphrasesFile) {
    return new PassphraseResolver(ctx, passphrasesFile);
  }

  /** Returns whether the {@code --passphrases} file has an entry for {@code file}. */
  boolean hasFileEntry(Path file) {
    return fromPassphrasesFile.containsKey(file.toAbsolutePath().normalize());
  }

  /**
   * Resolves the passphrase of {@code secret}.
   *
   * @return the passphrase (the caller closes it)
   * @throws CliException (bad input) when none can be had or it is not 6-255 characters
   */
  Passphrase resolve(SecretFile secret, Use use) {
    return resolveOptional(secret, use).orElseThrow(() -> CliException.badInput(
        "no passphrase for " + secret.file() + ": " + howToGive()));
  }

  /** Like {@link #resolve} but empty, not an error, when nothing was given and no one can be asked. */
  Optional<Passphrase> resolveOptional(SecretFile secret, Use use) {
    PassphraseSource source = secret.passphrase();
    String label = "passphrase for " + secret.file();
    if (source instanceof PassphraseSource.Literal l) {
      return Optional.of(make(l.chars(), label + " (given on the command line)"));
    }
    if (source instanceof PassphraseSource.FromEnv e) {
      String value = ctx.env(e.variable()).orElseThrow(() -> CliException.badInput(
          "environment variable " + e.variable() + " (" + label + ") is not set or empty"));
      return Optional.of(make(value.toCharArray(), label + " (from " + e.variable() + ")"));
    }
    if (source instanceof PassphraseSource.FromFile f) {
      return Optional.of(make(readFirstLine(f.file(), label), label + " (from " + f.file() + ")"));
    }
    char[] listed = fromPassphrasesFile.get(secret.file().toAbsolutePath().normalize());
    if (listed != null) {
      return Optional.of(make(listed.clone(), label + " (from " + passphrasesFileName + ")"));
    }
    return prompt(secret.file(), use);
  }

  /** The one-line advice on how to give a passphrase, safest first. */
  static String howToGive() {
    return "run in a terminal to be asked, or name it with {\"file\":F,\"passphraseEnv\":VAR} /"
        + " {\"file\":F,\"passphraseFile\":P}, --passphrases FILE (lines F#P), or F#P";
  }

  private Optional<Passphrase> prompt(Path file, Use use) {
    Terminal t = ctx.terminal();
    if (!t.interactive()) {
      return Optional.empty();
    }
    Optional<char[]> first = t.readSecret(
        (use == Use.CREATE ? "New passphrase for " : "Passphrase for ") + file + ": ");
    if (first.isEmpty()) {
      return Optional.empty();
    }
    char[] a = first.get();
    try {
      if (use == Use.CREATE) {
        char[] b = t.readSecret("Repeat the passphrase for " + file + ": ").orElse(new char[0]);
        try {
          if (!Arrays.equals(a, b)) {
            throw CliException.badInput("the two passphrases typed for " + file + " differ");
          }
        } finally {
          Arrays.fill(b, '\0');
        }
      }
      return Optional.of(make(a.clone(), "passphrase typed for " + file));
    } finally {
      Arrays.fill(a, '\0');
    }
  }

  private static Passphrase make(char[] chars, String label) {
    try {
      if (chars.length < Passphrase.MIN_LENGTH || chars.length > Passphrase.MAX_LENGTH) {
        throw CliException.badInput(label + " must have " + Passphrase.MIN_LENGTH + " to "
            + Passphrase.MAX_LENGTH + " characters, it has " + chars.length);
      }
      return Passphrase.of(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  private void loadPassphrasesFile(Path file) {
    char[] all = readAll(file, "the --passphrases file");
    Path base = file.toAbsolutePath().normalize().getParent();
    try {
      int start = 0;
      int lineNo = 0;
      while (start <= all.length) {
        int end = start;
        while (end < all.length && all[end] != '\n') {
          end++;
        }
        lineNo++;
        int stop = end > start && all[end - 1] == '\r' ? end - 1 : end;
        parseLine(all, start, stop, base, file, lineNo);
        start = end + 1;
      }
    } finally {
      Arrays.fill(all, '\0');
    }
  }

  private void parseLine(char[] all, int start, int stop, Path base, Path file, int lineNo) {
    if (stop <= start || all[start] == '#') {
      return; // blank line or comment
    }
    int hash = -1;
    for (int i = start; i < stop; i++) {
      if (all[i] == '#') {
        hash = i;
        break;
      }
    }
    if (hash < 0 || hash == start || hash == stop - 1) {
      throw CliException.badInput(file + " line " + lineNo + ": expected FILE#PASSPHRASE");
    }
    Path target = base.resolve(new String(all, start, hash - start)).normalize();
    fromPassphrasesFile.put(target, Arrays.copyOfRange(all, hash + 1, stop));
  }

  private static char[] readFirstLine(Path file, String label) {
    char[] all = readAll(file, label);
    try {
      int end = 0;
      while (end < all.length && all[end] != '\n' && all[end] != '\r') {
        end++;
      }
      return Arrays.copyOf(all, end);
    } finally {
      Arrays.fill(all, '\0');
    }
  }

  private static char[] readAll(Path file, String label) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw CliException.badInput("cannot read " + label + ": " + file + " does not exist");
    } catch (IOException e) {
      throw CliException.badInput("cannot read " + label + ": " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      Arrays.fill(chars.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      throw CliException.badInput("cannot read " + label + ": " + file + " is not UTF-8 text");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public void close() {
    fromPassphrasesFile.values().forEach(c -> Arrays.fill(c, '\0'));
    fromPassphrasesFile.clear();
  }
}
