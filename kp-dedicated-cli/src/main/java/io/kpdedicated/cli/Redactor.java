package io.kpdedicated.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes literal passphrases given on the command line from text that kpd prints (error messages
 * of the argument parser quote arguments) and from the retry commands it suggests.
 *
 * <p>A literal passphrase is: what follows the first {@code #} of an argument or of a quoted JSON
 * string inside an argument, and the value of {@code --passphrase}. Stateless.
 */
final class Redactor {
  /** Options whose value is a literal secret. */
  static final Set<String> SECRET_VALUE_OPTIONS = Set.of("--passphrase");
  private static final Pattern HASH_IN_JSON_STRING = Pattern.compile("#[^\"]*");
  static final String MASK = "***";

  private Redactor() {}

  /** Returns {@code text} with every literal secret of {@code args} replaced by {@value #MASK}. */
  static String redact(String text, List<String> args) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets(args)) {
      result = result.replace(secret, MASK);
    }
    return result;
  }

  /** Returns the literal secrets in {@code args}, longest first. */
  static List<String> secrets(List<String> args) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      for (String opt : SECRET_VALUE_OPTIONS) {
        if (a.equals(opt) && i + 1 < args.size()) {
          found.add(args.get(i + 1));
        } else if (a.startsWith(opt + "=") && a.length() > opt.length() + 1) {
          found.add(a.substring(opt.length() + 1));
        }
      }
      if (a.trim().startsWith("[") || a.trim().startsWith("{")) {
        Matcher m = HASH_IN_JSON_STRING.matcher(a);
        while (m.find()) {
          if (m.end() - m.start() > 1) {
            found.add(a.substring(m.start() + 1, m.end()));
          }
        }
        Matcher literal = Pattern.compile("\"passphrase\"\\s*:\\s*\"([^\"]*)\"").matcher(a);
        while (literal.find()) {
          if (!literal.group(1).isEmpty()) {
            found.add(literal.group(1));
          }
        }
      } else {
        int hash = a.indexOf('#');
        if (hash >= 0 && hash < a.length() - 1) {
          found.add(a.substring(hash + 1));
        }
      }
    }
    found.sort((x, y) -> Integer.compare(y.length(), x.length()));
    return found;
  }

  /**
   * Returns an argument with its literal passphrases removed: {@code F#P} becomes {@code F} (kpd
   * then asks, or uses {@code --passphrases}), JSON entries lose their {@code #P} and their
   * {@code "passphrase"} field.
   */
  static String stripSecrets(String arg) {
    String t = arg.trim();
    if (t.startsWith("[") || t.startsWith("{")) {
      String s = HASH_IN_JSON_STRING.matcher(arg).replaceAll("");
      return s.replaceAll(",?\\s*\"passphrase\"\\s*:\\s*\"[^\"]*\"", "")
          .replaceAll("\\{\\s*,", "{");
    }
    int hash = arg.indexOf('#');
    return hash < 0 ? arg : arg.substring(0, hash);
  }
}
