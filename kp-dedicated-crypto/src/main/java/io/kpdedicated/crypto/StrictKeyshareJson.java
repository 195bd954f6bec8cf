package io.kpdedicated.crypto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kpdedicated.crypto.KeyFileException.Reason;
import io.kpdedicated.crypto.internal.KeyshareFileDto;
import io.kpdedicated.crypto.internal.KeyshareFileDto.CipherDto;
import io.kpdedicated.crypto.internal.KeyshareFileDto.HeaderDto;
import io.kpdedicated.crypto.internal.KeyshareFileDto.KdfDto;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The strict reader of keyshare file format version 1: exact JSON types, no coercion, no unknown,
 * missing or repeated fields, nothing after the object, canonical base64 of exact lengths, and KDF
 * costs within the bound. Package-private; stateless and thread-safe.
 *
 * <p>Messages never quote the file's content (a wrong file given by mistake may hold secrets);
 * they name the field and, for JSON syntax errors, the line and column.
 */
final class StrictKeyshareJson {
  private static final List<String> TOP = List.of("format", "version", "header", "kdf", "cipher");
  private static final List<String> HEADER =
      List.of(
          "shareIndex", "minimum", "count", "shareSetId", "keyName", "keyCheckValue", "createdAt");
  private static final List<String> ARGON2ID =
      List.of("name", "salt", "memoryKiB", "iterations", "parallelism", "passphraseCheck");
  private static final List<String> SCRYPT =
      List.of("name", "salt", "n", "r", "p", "passphraseCheck");
  private static final List<String> CIPHER = List.of("name", "nonce", "ciphertext");
  private static final Set<String> KNOWN_NAMES =
      Set.of(
          "format", "version", "header", "kdf", "cipher", "shareIndex", "minimum", "count",
          "shareSetId", "keyName", "keyCheckValue", "createdAt", "name", "salt", "memoryKiB",
          "iterations", "parallelism", "n", "r", "p", "passphraseCheck", "nonce", "ciphertext");
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']{1,40})'");

  private static final ObjectMapper READER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(8)
                          .maxNumberLength(20)
                          .maxStringLength((int) KeyshareFile.MAX_FILE_BYTES)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  private StrictKeyshareJson() {}

  /** Decodes UTF-8, refusing malformed or unmappable bytes instead of replacing them. */
  static String utf8(Path file, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      if (contains(bytes, ("\"" + KeyshareFile.FORMAT + "\"").getBytes(StandardCharsets.US_ASCII))) {
        throw KeyshareFile.corrupt(file, "it is not valid UTF-8 text");
      }
      throw KeyshareFile.notAKeyFile(file);
    }
  }

  /** Reads exactly one JSON value, refusing duplicate keys and anything after the value. */
  static JsonNode readTree(Path file, String text) {
    try {
      JsonNode tree = READER.readTree(text);
      if (tree == null || tree.isMissingNode()) {
        throw KeyshareFile.notAKeyFile(file);
      }
      return tree;
    } catch (JsonProcessingException e) {
      if (!text.contains("\"" + KeyshareFile.FORMAT + "\"")) {
        throw KeyshareFile.notAKeyFile(file);
      }
      String message = String.valueOf(e.getOriginalMessage());
      Matcher duplicate = DUPLICATE.matcher(message);
      String what;
      if (duplicate.find() && KNOWN_NAMES.contains(duplicate.group(1))) {
        what = "its field \"" + duplicate.group(1) + "\" appears twice";
      } else if (message.startsWith("Duplicate field")) {
        what = "a field appears twice";
      } else if (message.startsWith("Trailing token")) {
        what = "something follows the JSON object (trailing text or a second value)";
      } else {
        what = "it is not complete, well-formed JSON (truncated or edited)";
      }
      JsonLocation at = e.getLocation();
      if (at != null && at.getLineNr() > 0) {
        what += " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      }
      throw KeyshareFile.corrupt(file, what);
    }
  }

  /** Checks the tree against format version 1 and builds the parsed content. */
  static KeyshareFile.Parsed toParsed(Path file, JsonNode root) {
    if (!root.isObject()
        || !root.path("format").isTextual()
        || !KeyshareFile.FORMAT.equals(root.get("format").textValue())) {
      throw KeyshareFile.notAKeyFile(file);
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt()) {
      throw KeyshareFile.corrupt(
          file, "its field version is missing or not a JSON integer (such as 1)");
    }
    if (version.intValue() != KeyshareFile.VERSION) {
      throw new KeyFileException(
          Reason.UNSUPPORTED_VERSION,
          file,
          "keyshare file " + file + " has format version " + version.intValue()
              + ", this SDK reads version " + KeyshareFile.VERSION
              + "; use a matching SDK version",
          null);
    }
    exactFields(file, root, "", TOP);
    JsonNode h = object(file, root, "header");
    JsonNode k = object(file, root, "kdf");
    JsonNode c = object(file, root, "cipher");
    exactFields(file, h, "header.", HEADER);
    exactFields(file, c, "cipher.", CIPHER);
    String kdfName = text(file, k, "kdf.", "name");
    if ("argon2id".equals(kdfName)) {
      exactFields(file, k, "kdf.", ARGON2ID);
    } else if ("scrypt".equals(kdfName)) {
      exactFields(file, k, "kdf.", SCRYPT);
    } else {
      throw KeyshareFile.corrupt(file, "its field kdf.name is neither argon2id nor scrypt");
    }
    if (!KeyshareFile.CIPHER.equals(text(file, c, "cipher.", "name"))) {
      throw KeyshareFile.corrupt(file, "its field cipher.name is not " + KeyshareFile.CIPHER);
    }

    HeaderDto header =
        new HeaderDto(
            integer(file, h, "header.", "shareIndex"),
            integer(file, h, "header.", "minimum"),
            integer(file, h, "header.", "count"),
            text(file, h, "header.", "shareSetId"),
            text(file, h, "header.", "keyName"),
            text(file, h, "header.", "keyCheckValue"),
            text(file, h, "header.", "createdAt"));
    boolean argon = "argon2id".equals(kdfName);
    KdfDto kdf =
        new KdfDto(
            kdfName,
            text(file, k, "kdf.", "salt"),
            argon ? integer(file, k, "kdf.", "memoryKiB") : null,
            argon ? integer(file, k, "kdf.", "iterations") : null,
            argon ? integer(file, k, "kdf.", "parallelism") : null,
            argon ? null : integer(file, k, "kdf.", "n"),
            argon ? null : integer(file, k, "kdf.", "r"),
            argon ? null : integer(file, k, "kdf.", "p"),
            text(file, k, "kdf.", "passphraseCheck"));
    CipherDto cipher =
        new CipherDto(
            KeyshareFile.CIPHER,
            text(file, c, "cipher.", "nonce"),
            text(file, c, "cipher.", "ciphertext"));

    byte[] salt = base64(file, kdf.salt(), "kdf.salt", KeyshareFile.SALT_BYTES);
    byte[] check =
        base64(file, kdf.passphraseCheck(), "kdf.passphraseCheck", KeyshareFile.CHECK_BYTES);
    byte[] nonce = base64(file, cipher.nonce(), "cipher.nonce", KeyshareFile.NONCE_BYTES);
    byte[] ciphertext =
        base64(
            file,
            cipher.ciphertext(),
            "cipher.ciphertext",
            MasterKey.KEY_BYTES + 1 + KeyshareFile.TAG_BITS / 8);

    KeyshareHeader parsedHeader = header(file, header, kdf);
    return new KeyshareFile.Parsed(
        new KeyshareFileDto(KeyshareFile.FORMAT, KeyshareFile.VERSION, header, kdf, cipher),
        parsedHeader,
        salt,
        check,
        nonce,
        ciphertext);
  }

  private static KeyshareHeader header(Path file, HeaderDto h, KdfDto k) {
    if (!h.shareSetId().matches("[0-9a-f]{32}")) {
      throw KeyshareFile.corrupt(
          file, "its field header.shareSetId is not 32 lower-case hex digits");
    }
    if (!h.keyCheckValue().matches("[0-9A-F]{10}")) {
      throw KeyshareFile.corrupt(
          file, "its field header.keyCheckValue is not 10 upper-case hex digits");
    }
    Instant createdAt;
    try {
      createdAt = Instant.parse(h.createdAt());
    } catch (DateTimeParseException e) {
      createdAt = null;
    }
    if (createdAt == null
        || createdAt.getNano() != 0
        || !createdAt.toString().equals(h.createdAt())) {
      throw KeyshareFile.corrupt(
          file,
          "its field header.createdAt is not an ISO-8601 UTC time in whole seconds (such as"
              + " 2025-01-02T03:04:05Z)");
    }
    try {
      MasterKey.checkName(h.keyName());
    } catch (IllegalArgumentException e) {
      throw KeyshareFile.corrupt(file, "its field header.keyName is out of range (" + e.getMessage() + ")");
    }
    KdfParameters kdf = kdf(file, k);
    try {
      return new KeyshareHeader(
          file,
          KeyshareFile.VERSION,
          h.shareIndex(),
          h.minimum(),
          h.count(),
          h.shareSetId(),
          h.keyName(),
          new KeyCheckValue(h.keyCheckValue()),
          createdAt,
          kdf);
    } catch (IllegalArgumentException e) {
      throw KeyshareFile.corrupt(
          file,
          "its fields header.shareIndex, header.minimum and header.count are out of range ("
              + e.getMessage() + ")");
    }
  }

  private static KdfParameters kdf(Path file, KdfDto k) {
    try {
      if ("argon2id".equals(k.name())) {
        return KdfParameters.argon2id(k.memoryKiB(), k.iterations(), k.parallelism());
      }
      return KdfParameters.scrypt(k.n(), k.r(), k.p());
    } catch (KdfParameters.CostException e) {
      throw new KeyFileException(
          Reason.TOO_COSTLY,
          file,
          "keyshare file " + file + " was refused before deriving its key: its fields "
              + e.fields() + " ask for more than this SDK spends on an unauthenticated file ("
              + e.getMessage() + "). This SDK never writes such a file: use an intact copy of"
              + " this share or another share of the set",
          null);
    } catch (IllegalArgumentException e) {
      throw KeyshareFile.corrupt(file, "a kdf field is out of range (" + e.getMessage() + ")");
    }
  }

  private static void exactFields(Path file, JsonNode node, String prefix, List<String> allowed) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        // name the field only if it is one of the format's own names: the content of a file
        // given by mistake is never repeated
        String which = KNOWN_NAMES.contains(name)
            ? "the field " + prefix + name + ", which does not belong there"
            : "a field that format version 1 does not have"
                + (prefix.isEmpty() ? "" : " in " + prefix.substring(0, prefix.length() - 1));
        throw KeyshareFile.corrupt(
            file,
            "it has " + which + " (format version 1 has exactly the fields the documentation"
                + " lists)");
      }
    }
    for (String name : allowed) {
      if (!node.has(name)) {
        throw KeyshareFile.corrupt(file, "its field " + prefix + name + " is missing");
      }
    }
  }

  private static JsonNode object(Path file, JsonNode parent, String name) {
    JsonNode node = parent.get(name);
    if (node == null || !node.isObject()) {
      throw KeyshareFile.corrupt(file, "its field " + name + " is missing or not a JSON object");
    }
    return node;
  }

  private static String text(Path file, JsonNode parent, String prefix, String name) {
    JsonNode node = parent.get(name);
    if (node == null || !node.isTextual()) {
      throw KeyshareFile.corrupt(
          file, "its field " + prefix + name + " is missing or not a JSON string");
    }
    return node.textValue();
  }

  private static int integer(Path file, JsonNode parent, String prefix, String name) {
    JsonNode node = parent.get(name);
    if (node == null || !node.isInt()) {
      throw KeyshareFile.corrupt(
          file,
          "its field " + prefix + name + " is missing or not a JSON integer (a whole number"
              + " without quotes, fraction or exponent, such as 2)");
    }
    return node.intValue();
  }

  /**
   * Decodes canonical base64 (RFC 4648 alphabet, padding required, unused bits zero) of exactly
   * {@code length} bytes: decoding and encoding again must give the same text.
   */
  private static byte[] base64(Path file, String text, String field, int length) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw KeyshareFile.corrupt(file, "its field " + field + " is not base64");
    }
    if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
      throw KeyshareFile.corrupt(
          file,
          "its field " + field + " is not canonical base64 (padding missing or unused bits set)");
    }
    if (bytes.length != length) {
      throw KeyshareFile.corrupt(
          file,
          "its field " + field + " holds " + bytes.length + " bytes instead of " + length
              + " (too short or too long)");
    }
    return bytes;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
