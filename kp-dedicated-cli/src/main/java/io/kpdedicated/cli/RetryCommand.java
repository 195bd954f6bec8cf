package io.kpdedicated.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds the command that repeats the current one for some crypto units only: the original
 * arguments without their {@code --id} options and without literal passphrases (kpd asks for those
 * again, or takes them from {@code --passphrases}), plus {@code --id} for each unit. Stateless.
 */
final class RetryCommand {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private RetryCommand() {}

  static String forUnits(List<String> originalArgs, List<String> unitIds) {
    List<String> out = new ArrayList<>();
    out.add("kpd");
    for (int i = 0; i < originalArgs.size(); i++) {
      String a = originalArgs.get(i);
      if (a.equals("--id")) {
        i++;
        continue;
      }
      if (a.startsWith("--id=")) {
        continue;
      }
      if (Redactor.SECRET_VALUE_OPTIONS.contains(a)) {
        i++;
        continue;
      }
      if (Redactor.SECRET_VALUE_OPTIONS.stream().anyMatch(o -> a.startsWith(o + "="))) {
        continue;
      }
      if (a.equals("--force") || a.equals("-f")) {
        continue;
      }
      out.add(Redactor.stripSecrets(a));
    }
    for (String id : unitIds) {
      out.add("--id");
      out.add(id);
    }
    StringBuilder b = new StringBuilder();
    for (String token : out) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(quote(token));
    }
    return b.toString();
  }

  /** Quotes a token for a POSIX shell. */
  static String quote(String token) {
    if (!token.isEmpty() && SAFE.matcher(token).matches()) {
      return token;
    }
    return "'" + token.replace("'", "'\\''") + "'";
  }
}
