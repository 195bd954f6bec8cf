package io.kpdedicated.cli;

/** How listing commands print: a table for people, JSON for programs. */
enum OutputFormat {
  /** Aligned columns. */
  TABLE,
  /** JSON. */
  JSON
}
