package io.kpdedicated.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses the runbook's file arguments: {@code F#P} (split at the first {@code #}), the JSON list of
 * {@code --keyshare-files} and the JSON list of {@code --auth}. Entries can also be objects that name
 * where the passphrase comes from without writing it on the command line:
 *
 * <pre>
 * "share1.json"                                        prompt (or the --passphrases file)
 * "share1.json#passphrase"                             literal (visible to other local users)
 * {"file":"share1.json","passphraseEnv":"KS1_PASS"}    environment variable
 * {"file":"share1.json","passphraseFile":"/run/ks1"}   first line of a file
 * </pre>
 *
 * <p>Error messages never repeat the argument text, which may hold passphrases. Stateless.
 */
final class SecretArgs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ENTRY_FIELDS =
      Set.of("file", "passphrase", "passphraseEnv", "passphraseFile");

  private SecretArgs() {}

  /**
   * Parses {@code F}, or {@code F#P} split at the first {@code #}.
   *
   * @param text the argument
   * @param ctx resolves relative paths
   * @param what names the argument in error messages, e.g. {@code --credential}
   */
  static SecretFile parseEntry(String text, CliContext ctx, String what) {
    int hash = text.indexOf('#');
    String file = hash < 0 ? text : text.substring(0, hash);
    PassphraseSource source = PassphraseSource.UNSPECIFIED;
    if (hash >= 0) {
      char[] chars = new char[text.length() - hash - 1];
      text.getChars(hash + 1, text.length(), chars, 0);
      if (chars.length == 0) {
        throw CliException.badInput(what + ": the passphrase after '#' is empty for file '" + file
            + "'; give F#PASSPHRASE, or F alone to be asked for it");
      }
      source = new PassphraseSource.Literal(chars);
      java.util.Arrays.fill(chars, '\0');
    }
    return new SecretFile(path(file, ctx, what), source);
  }

  /** Parses the JSON list of {@code --keyshare-files}. */
  static List<SecretFile> parseFileList(String json, CliContext ctx, String what) {
    JsonNode root = readJson(json, what,
        "'[\"share1.json#PASSPHRASE\",\"share2.json\"]'");
    if (!root.isArray() || root.isEmpty()) {
      throw CliException.badInput(what + " must be a non-empty JSON array such as"
          + " '[\"share1.json#PASSPHRASE\",\"share2.json\"]'");
    }
    List<SecretFile> files = new ArrayList<>();
    int index = 0;
    for (JsonNode element : root) {
      index++;
      files.add(parseElement(element, ctx, what + " entry " + index));
    }
    return List.copyOf(files);
  }

  /** Parses the JSON list of {@code --auth}: {@code [{"ADMIN":"F#P"}]}. */
  static List<SecretFile> parseAuth(String json, CliContext ctx, String what) {
    String example = "'[{\"ADMIN\":\"admin.p12#PASSPHRASE\"}]'";
    JsonNode root = readJson(json, what, example);
    if (!root.isArray() || root.isEmpty()) {
      throw CliException.badInput(what + " must be a non-empty JSON array such as " + example);
    }
    List<SecretFile> admins = new ArrayList<>();
    int index = 0;
    for (JsonNode element : root) {
      index++;
      String label = what + " entry " + index;
      if (!element.isObject() || element.size() != 1) {
        throw CliException.badInput(label + " must be an object with one key, ADMIN, such as "
            + example);
      }
      Map.Entry<String, JsonNode> field = element.properties().iterator().next();
      if (!field.getKey().toUpperCase(Locale.ROOT).equals("ADMIN")) {
        throw CliException.badInput(label + ": unknown key '" + field.getKey()
            + "'; the only key is ADMIN");
      }
      admins.add(parseElement(field.getValue(), ctx, label));
    }
    return List.copyOf(admins);
  }

  private static SecretFile parseElement(JsonNode element, CliContext ctx, String label) {
    if (element.isTextual()) {
      return parseEntry(element.textValue(), ctx, label);
    }
    if (!element.isObject()) {
      throw CliException.badInput(label + " must be a string \"F#P\" or an object"
          + " {\"file\":F,\"passphraseEnv\":VAR}");
    }
    for (Map.Entry<String, JsonNode> property : element.properties()) {
      String name = property.getKey();
      if (!ENTRY_FIELDS.contains(name)) {
        throw CliException.badInput(label + ": unknown field '" + name + "'; known fields: file,"
            + " passphrase, passphraseEnv, passphraseFile");
      }
    }
    JsonNode file = element.get("file");
    if (file == null || !file.isTextual() || file.textValue().isBlank()) {
      throw CliException.badInput(label + ": field 'file' (a path) is missing");
    }
    int sources = 0;
    PassphraseSource source = PassphraseSource.UNSPECIFIED;
    if (element.has("passphrase")) {
      sources++;
      source = new PassphraseSource.Literal(text(element, "passphrase", label).toCharArray());
    }
    if (element.has("passphraseEnv")) {
      sources++;
      source = new PassphraseSource.FromEnv(text(element, "passphraseEnv", label));
    }
    if (element.has("passphraseFile")) {
      sources++;
      source = new PassphraseSource.FromFile(
          path(text(element, "passphraseFile", label), ctx, label + " passphraseFile"));
    }
    if (sources > 1) {
      throw CliException.badInput(label + ": give at most one of passphrase, passphraseEnv,"
          + " passphraseFile");
    }
    return new SecretFile(path(file.textValue(), ctx, label), source);
  }

  private static String text(JsonNode element, String field, String label) {
    JsonNode v = element.get(field);
    if (!v.isTextual() || v.textValue().isEmpty()) {
      throw CliException.badInput(label + ": field '" + field + "' must be a non-empty string");
    }
    return v.textValue();
  }

  private static JsonNode readJson(String json, String what, String example) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // Jackson's own message quotes the input, which may hold passphrases: report the position only.
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at column " + at.getColumnNr();
      throw CliException.badInput(what + " is not valid JSON" + where + "; expected a list such as "
          + example);
    }
  }

  static Path path(String text, CliContext ctx, String what) {
    if (text.isBlank()) {
      throw CliException.badInput(what + ": the file name is empty");
    }
    try {
      return ctx.resolve(Path.of(text));
    } catch (InvalidPathException e) {
      throw CliException.badInput(what + ": '" + text + "' is not a valid path");
    }
  }
}
