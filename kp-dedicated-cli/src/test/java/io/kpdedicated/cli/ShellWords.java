package io.kpdedicated.cli;

import java.util.ArrayList;
import java.util.List;

/** Splits a command line printed by kpd (POSIX single quotes) back into arguments. */
final class ShellWords {
  private ShellWords() {}

  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\'') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '\'') {
        quoted = true;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        cur.append(line.charAt(++i));
        inWord = true;
      } else if (c == ' ') {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }
}
