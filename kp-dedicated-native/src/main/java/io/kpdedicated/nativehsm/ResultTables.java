package io.kpdedicated.nativehsm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict parsers for the text tables IBM's library returns from {@code ListUsersC} and
 * {@code ListMBKKeysC}. They accept padded columns, header lines (first word {@code Name},
 * {@code Found} or {@code slot}), separator lines of dashes, blank lines and unknown extra columns
 * after the known ones; anything else is an {@link UnexpectedAnswerException} carrying the raw
 * line. Answers are bounded: at most {@value #MAX_LINES} lines of at most {@value #MAX_LINE}
 * characters. Static methods only; thread-safe.
 */
public final class ResultTables {
  /** The most lines a table may have. */
  public static final int MAX_LINES = 1024;
  /** The most characters a line may have. */
  public static final int MAX_LINE = 1024;

  private static final Pattern WS = Pattern.compile("\\s+");
  private static final Pattern HEX8 = Pattern.compile("[0-9A-Fa-f]{1,8}");
  private static final Pattern ATTRIBUTES = Pattern.compile("(?:[A-Za-z]\\[[^\\[\\]]*\\])+");
  private static final Pattern ATTRIBUTE_GROUP = Pattern.compile("([A-Za-z])\\[([^\\[\\]]*)\\]");
  private static final Pattern MECHANISM = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,6}");
  private static final Pattern DATE = Pattern.compile("[0-9]{1,4}[-./][0-9]{1,2}[-./][0-9]{1,4}");
  private static final Pattern TIME = Pattern.compile("[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Pattern SEPARATOR = Pattern.compile("[-=+| ]+");

  private ResultTables() {}

  /**
   * Parses a {@code ListUsersC} answer: rows {@code Name Permission(hex) Mechanism Attributes}
   * where the mechanism is one or more words (e.g. {@code RSA sign}) and the attributes column is
   * one or more groups like {@code Z[0]} or {@code A[CXI_GROUP=SLOT_0068]}.
   *
   * @param answer the library's text (null reads as empty)
   * @param unitId the unit, for messages; may be null
   * @return the users, in table order
   * @throws UnexpectedAnswerException for any line that is not a row, header, separator or blank
   */
  public static List<NativeUser> parseUsers(String answer, String unitId) {
    List<NativeUser> users = new ArrayList<>();
    for (String line : lines(answer, NativeCall.LIST_USERS, unitId)) {
      String[] t = tokens(line);
      if (t.length == 0 || isHeader(t[0]) || SEPARATOR.matcher(line.strip()).matches()) {
        continue;
      }
      if (t.length < 4 || !HEX8.matcher(t[1]).matches()) {
        throw unexpected(NativeCall.LIST_USERS, unitId,
            "a user row must read 'Name Permission(hex) Mechanism Attributes'", line);
      }
      int attr = -1;
      for (int i = 3; i < t.length; i++) {
        if (ATTRIBUTES.matcher(t[i]).matches()) {
          attr = i;
          break;
        }
      }
      if (attr < 0) {
        throw unexpected(NativeCall.LIST_USERS, unitId, "the user row has no attributes column",
            line);
      }
      for (int i = 2; i < attr; i++) {
        if (!MECHANISM.matcher(t[i]).matches()) {
          throw unexpected(NativeCall.LIST_USERS, unitId,
              "the user row's mechanism column is not made of words", line);
        }
      }
      String mechanism = String.join(" ", java.util.Arrays.asList(t).subList(2, attr));
      users.add(new NativeUser(t[0], t[1], mechanism, t[attr], attributes(t[attr])));
    }
    return List.copyOf(users);
  }

  /**
   * Parses a {@code ListMBKKeysC} answer: rows {@code slot name len algo type k date time kcv}
   * where {@code kcv} is {@code 16hex:16hex}.
   *
   * @param answer the library's text (null reads as empty)
   * @param unitId the unit, for messages; may be null
   * @return the master keys, in table order (empty when none is loaded)
   * @throws UnexpectedAnswerException for any line that is not a row, header, separator or blank
   */
  public static List<NativeMasterKey> parseMasterKeys(String answer, String unitId) {
    List<NativeMasterKey> keys = new ArrayList<>();
    for (String line : lines(answer, NativeCall.LIST_MASTER_KEYS, unitId)) {
      String[] t = tokens(line);
      if (t.length == 0 || isHeader(t[0]) || SEPARATOR.matcher(line.strip()).matches()) {
        continue;
      }
      if (t.length < 9) {
        throw unexpected(NativeCall.LIST_MASTER_KEYS, unitId,
            "a master key row must read 'slot name len algo type k date time kcv'", line);
      }
      if (!NUMBER.matcher(t[0]).matches() || !WORD.matcher(t[1]).matches()
          || !NUMBER.matcher(t[2]).matches() || !WORD.matcher(t[3]).matches()
          || !WORD.matcher(t[4]).matches() || !NUMBER.matcher(t[5]).matches()
          || !DATE.matcher(t[6]).matches() || !TIME.matcher(t[7]).matches()) {
        throw unexpected(NativeCall.LIST_MASTER_KEYS, unitId,
            "a master key row must read 'slot name len algo type k date time kcv'", line);
      }
      if (!NativeMasterKey.CHECK_VALUE.matcher(t[8]).matches()) {
        throw unexpected(NativeCall.LIST_MASTER_KEYS, unitId,
            "the key check value is not 16 hex digits, ':', 16 hex digits", line);
      }
      keys.add(new NativeMasterKey(Integer.parseInt(t[0]), t[1], Integer.parseInt(t[2]), t[3],
          t[4], Integer.parseInt(t[5]), t[6], t[7], t[8]));
    }
    return List.copyOf(keys);
  }

  private static List<String> lines(String answer, NativeCall call, String unitId) {
    if (answer == null || answer.isEmpty()) {
      return List.of();
    }
    String[] lines = answer.split("\r?\n", -1);
    if (lines.length > MAX_LINES) {
      throw unexpected(call, unitId, "the table has more than " + MAX_LINES + " lines", null);
    }
    for (String line : lines) {
      if (line.length() > MAX_LINE) {
        throw unexpected(call, unitId, "a line is longer than " + MAX_LINE + " characters", line);
      }
    }
    return List.of(lines);
  }

  private static String[] tokens(String line) {
    String s = line.strip();
    return s.isEmpty() ? new String[0] : WS.split(s);
  }

  private static boolean isHeader(String first) {
    String f = first.toLowerCase(Locale.ROOT);
    return f.equals("name") || f.equals("found") || f.equals("slot");
  }

  private static Map<String, String> attributes(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = ATTRIBUTE_GROUP.matcher(text);
    while (m.find()) {
      for (String pair : m.group(2).split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return out;
  }

  private static UnexpectedAnswerException unexpected(NativeCall call, String unitId,
      String problem, String line) {
    return new UnexpectedAnswerException(call, unitId, problem, line);
  }
}
