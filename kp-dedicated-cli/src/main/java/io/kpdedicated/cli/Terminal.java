package io.kpdedicated.cli;

import java.io.Console;
import java.util.Optional;

/**
 * The interactive side of the command line: whether a person is at a terminal, and prompts.
 *
 * <p>{@link #system()} uses {@link System#console()}; when there is none (output redirected, CI,
 * pipes) {@link #interactive()} is false, prompts are impossible and progress is printed as plain
 * lines. Tests pass a scripted terminal.
 */
public interface Terminal {

  /** {@return whether a person can answer prompts and output goes to a terminal} */
  boolean interactive();

  /**
   * Asks for a secret without echo.
   *
   * @param prompt the question, without secrets
   * @return the characters typed (the caller wipes them), or empty when nothing can be read
   */
  Optional<char[]> readSecret(String prompt);

  /**
   * Asks for one line of text (echoed).
   *
   * @param prompt the question
   * @return the line, or empty when nothing can be read
   */
  Optional<String> readLine(String prompt);

  /** {@return a terminal that never prompts (scripts, CI): every read is empty} */
  static Terminal none() {
    return new Terminal() {
      @Override
      public boolean interactive() {
        return false;
      }

      @Override
      public Optional<char[]> readSecret(String prompt) {
        return Optional.empty();
      }

      @Override
      public Optional<String> readLine(String prompt) {
        return Optional.empty();
      }
    };
  }

  /** {@return the process's console, or {@link #none()} when the process has none} */
  static Terminal system() {
    Console console = System.console();
    if (console == null) {
      return none();
    }
    return new Terminal() {
      @Override
      public boolean interactive() {
        return true;
      }

      @Override
      public Optional<char[]> readSecret(String prompt) {
        return Optional.ofNullable(console.readPassword("%s", prompt));
      }

      @Override
      public Optional<String> readLine(String prompt) {
        return Optional.ofNullable(console.readLine("%s", prompt));
      }
    };
  }
}
