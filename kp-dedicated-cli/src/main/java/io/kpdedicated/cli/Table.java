package io.kpdedicated.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain text table with left-aligned columns. Not thread-safe. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... headers) {
    this.columns = headers.length;
    rows.add(headers.clone());
  }

  Table row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
    }
    rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : c.toString()).toArray(String[]::new));
    return this;
  }

  List<String> lines() {
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        if (i > 0) {
          b.append("  ");
        }
        b.append(i == columns - 1 ? r[i] : pad(r[i], width[i]));
      }
      out.add(b.toString().stripTrailing());
    }
    return out;
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
