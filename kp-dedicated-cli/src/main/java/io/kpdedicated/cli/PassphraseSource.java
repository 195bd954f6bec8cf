package io.kpdedicated.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where the passphrase of one file comes from. {@code toString()} never shows a literal passphrase.
 */
sealed interface PassphraseSource {

  /** No passphrase was given: use the passphrases file, then the prompt, else fail. */
  PassphraseSource UNSPECIFIED = new Unspecified();

  /** Returns whether a passphrase was named at all. */
  default boolean specified() {
    return !(this instanceof Unspecified);
  }

  /** Written on the command line ({@code F#P} or {@code --passphrase P}): visible to other local users. */
  record Literal(char[] chars) implements PassphraseSource {
    public Literal {
      chars = Objects.requireNonNull(chars, "chars").clone();
    }

    @Override
    public char[] chars() {
      return chars.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Literal l && Arrays.equals(chars, l.chars);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(chars);
    }

    @Override
    public String toString() {
      return "Literal[redacted]";
    }
  }

  /** Read from an environment variable. */
  record FromEnv(String variable) implements PassphraseSource {
    public FromEnv {
      if (Objects.requireNonNull(variable, "variable").isBlank()) {
        throw CliException.badInput("the name of a passphrase environment variable must not be blank");
      }
    }
  }

  /** Read from the first line of a file. */
  record FromFile(Path file) implements PassphraseSource {
    public FromFile {
      Objects.requireNonNull(file, "file");
    }
  }

  /** Nothing given. */
  record Unspecified() implements PassphraseSource {}
}
