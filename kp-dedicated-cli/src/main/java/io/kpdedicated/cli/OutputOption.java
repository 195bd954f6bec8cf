package io.kpdedicated.cli;

import picocli.CommandLine.Option;

/**
 * {@code --output table|json}: how a command reports, a table (and lines) for people or one JSON
 * document on standard output for programs. With {@code json}, everything else a command prints
 * (progress, notes) goes to standard error, so standard output parses as JSON. A picocli mixin.
 */
final class OutputOption {
  @Option(names = {"--output", "-o"}, defaultValue = "table", paramLabel = "FORMAT",
      description = "table (default) or json: one JSON document on standard output, progress and"
          + " notes on standard error.")
  OutputFormat format = OutputFormat.TABLE;

  /** Returns whether JSON was asked for. */
  boolean json() {
    return format == OutputFormat.JSON;
  }
}
