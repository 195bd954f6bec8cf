package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kpdedicated.crypto.KeyFileException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keyshare files edited or crafted by someone hostile or careless: each is refused with a typed
 * reason that names the file, before any key derivation when the file asks for too much work.
 */
class HostileKeyshareFilesTest {
  @TempDir Path dir;

  private final List<Passphrase> passphrases = new ArrayList<>();
  private List<KeyshareLocation> set;

  @BeforeEach
  void writeASet() {
    set = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      Passphrase p = Passphrase.of("hostile-pass-" + i);
      passphrases.add(p);
      set.add(new KeyshareLocation(dir.resolve("share-" + i + ".json"), p));
    }
    try (MasterKey key = MasterKey.generate("mk", TestSupport.seeded(41))) {
      Keyshares.write(key, 2, set, TestSupport.cheapOptions(41));
    }
  }

  @AfterEach
  void destroyPassphrases() {
    passphrases.forEach(Passphrase::destroy);
  }

  private Path first() {
    return set.get(0).path();
  }

  private void edit(UnaryOperator<String> change) throws IOException {
    String before = Files.readString(first());
    String after = change.apply(before);
    assertThat(after).as("the edit applies").isNotEqualTo(before);
    Files.writeString(first(), after);
  }

  private static String replaceField(String json, String field, String rawValue) {
    Matcher m = Pattern.compile("\"" + field + "\" : (\"[^\"]*\"|[0-9]+)").matcher(json);
    assertThat(m.find()).as("field %s present", field).isTrue();
    return json.substring(0, m.start()) + "\"" + field + "\" : " + rawValue
        + json.substring(m.end());
  }

  private static String fieldText(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\" : \"([^\"]*)\"").matcher(json);
    assertThat(m.find()).as("field %s present", field).isTrue();
    return m.group(1);
  }

  private String kdfWith(String kdfBody) throws IOException {
    String json = Files.readString(first());
    int start = json.indexOf("\"kdf\" : {");
    int end = json.indexOf('}', start);
    String salt = fieldText(json, "salt");
    String check = fieldText(json, "passphraseCheck");
    return json.substring(0, start) + "\"kdf\" : {" + kdfBody + ", \"salt\" : \"" + salt
        + "\", \"passphraseCheck\" : \"" + check + "\"" + json.substring(end);
  }

  private KeyFileException refusal(Reason reason) {
    Throwable verify = catchThrowable(() -> Keyshares.verify(set));
    assertThat(verify).isInstanceOf(KeyFileException.class);
    KeyFileException e = (KeyFileException) verify;
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.file()).contains(first());
    assertThat(e.getMessage()).contains(first().toString()).doesNotContain("hostile-pass");
    return e;
  }

  // --- bounded work ---------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "scrypt N=2^20 r=8 p=16 (16 GiB)|\"name\" : \"scrypt\", \"n\" : 1048576, \"r\" : 8, \"p\" : 16|kdf.p",
        "scrypt N=2^17 r=8 p=16 (2 GiB)|\"name\" : \"scrypt\", \"n\" : 131072, \"r\" : 8, \"p\" : 16|kdf.p",
        "argon2id m=1 GiB t=64 p=16|\"name\" : \"argon2id\", \"memoryKiB\" : 1048576, \"iterations\" : 64, \"parallelism\" : 16|kdf.memoryKiB",
        "argon2id m=256 MiB t=64 p=16|\"name\" : \"argon2id\", \"memoryKiB\" : 262144, \"iterations\" : 64, \"parallelism\" : 16|kdf.iterations",
      })
  void aFileAskingForMoreKdfWorkThanTheBoundIsRefusedBeforeDeriving(
      String label, String kdfBody, String field) throws IOException {
    Files.writeString(first(), kdfWith(kdfBody));

    KeyFileException e = refusal(Reason.TOO_COSTLY);
    assertThat(e.getMessage()).contains(field).contains("before");
    Throwable header = catchThrowable(() -> Keyshares.readHeader(first()));
    assertThat(header)
        .isInstanceOfSatisfying(
            KeyFileException.class, k -> assertThat(k.reason()).isEqualTo(Reason.TOO_COSTLY));
  }

  @Test
  void theDefaultCostsAreWithinTheBound() {
    for (KdfParameters kdf :
        List.of(KdfParameters.owaspArgon2id(), KdfParameters.owaspScrypt())) {
      assertThat(kdf.memoryBytes()).isLessThanOrEqualTo(KdfParameters.MAX_MEMORY_BYTES);
      assertThat(kdf.workBytes()).isLessThanOrEqualTo(KdfParameters.MAX_WORK_BYTES);
      assertThat(kdf.estimatedTime()).isLessThanOrEqualTo(KdfParameters.MAX_ESTIMATED_TIME);
    }
    assertThat(KdfParameters.owaspScrypt().memoryBytes()).isEqualTo(128L * 8 * (1 << 17));
  }

  /**
   * Opens the crafted files in a child JVM with a 96 MiB heap and a time limit: before the bound,
   * deriving would need gigabytes (the child dies of OutOfMemoryError) or minutes.
   */
  @Test
  void theCraftedFilesAreRefusedInAJvmWithA96MiBHeap() throws Exception {
    Path scrypt = dir.resolve("scrypt.json");
    Path argon = dir.resolve("argon.json");
    Files.writeString(
        scrypt, kdfWith("\"name\" : \"scrypt\", \"n\" : 1048576, \"r\" : 8, \"p\" : 16"));
    Files.writeString(
        argon,
        kdfWith(
            "\"name\" : \"argon2id\", \"memoryKiB\" : 1048576, \"iterations\" : 64,"
                + " \"parallelism\" : 16"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
                java.toString(), "-Xmx96m", "-cp", System.getProperty("java.class.path"),
                OpenKeyshareMain.class.getName(), scrypt.toString(), argon.toString())
            .redirectErrorStream(true);
    Process process = pb.start();
    process.getOutputStream().close();
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    assertThat(finished).as("child finished within 60 s: %s", out).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).contains(scrypt + ": TOO_COSTLY").contains(argon + ": TOO_COSTLY");
  }

  // --- damaged cipher fields ------------------------------------------------------------------

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "ciphertext, ''",
    "ciphertext, AAAA",
    "ciphertext, AAAAAAAAAAAAAAAAAAAAAA==",
    "nonce, ''",
    "nonce, AAAAAAAAAAAAAAAAAAAA",
    "nonce, AAAAAAAAAAAAAAA=",
    "salt, ''",
    "salt, AAAAAAAAAAAA",
    "passphraseCheck, ''",
    "passphraseCheck, AAAAAAAA",
  })
  void aTooShortOrTooLongCipherFieldIsDamagedNotAnInternalError(String field, String value)
      throws IOException {
    edit(json -> replaceField(json, field, "\"" + value + "\""));

    assertThat(refusal(Reason.CORRUPT).getMessage()).contains("damaged").contains(field);
  }

  // --- strict JSON ----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "shareIndex|\"1\"",
        "shareIndex|1.0",
        "shareIndex|1.0e0",
        "shareIndex|1e0",
        "minimum|2.5",
        "minimum|2.0",
        "count|\"2\"",
        "count|true",
        "count|null",
        "version|1.0",
        "memoryKiB|64.0",
        "iterations|\"1\"",
        "keyName|42",
        "shareIndex|4294967297",
      })
  void aFieldOfTheWrongJsonTypeIsRefusedWithoutCoercion(String field, String raw)
      throws IOException {
    edit(json -> replaceField(json, field, raw));

    assertThat(refusal(Reason.CORRUPT).getMessage()).contains(field);
  }

  @Test
  void trailingGarbageAfterTheJsonIsRefused() throws IOException {
    edit(json -> json + "garbage");

    assertThat(refusal(Reason.CORRUPT).getMessage())
        .contains("not complete, well-formed JSON")
        .containsPattern("at line [0-9]+, column [0-9]+");
  }

  @Test
  void aSecondJsonValueAppendedIsRefused() throws IOException {
    edit(json -> json + json);

    assertThat(refusal(Reason.CORRUPT).getMessage())
        .contains("something follows the JSON object (trailing text or a second value)");
  }

  @Test
  void aDuplicateKeyIsRefusedInsteadOfTheLastOneWinning() throws IOException {
    edit(json -> json.replace("\"minimum\" : 2,", "\"minimum\" : 2, \"minimum\" : 2,"));

    assertThat(refusal(Reason.CORRUPT).getMessage()).contains("minimum").contains("twice");
  }

  @Test
  void aDuplicateTopLevelKeyIsRefused() throws IOException {
    edit(json -> json.replace("\"version\" : 1,", "\"version\" : 1, \"version\" : 1,"));

    refusal(Reason.CORRUPT);
  }

  @Test
  void anUnknownFieldIsRefused() throws IOException {
    edit(json -> json.replace("\"minimum\" : 2,", "\"minimum\" : 2, \"comment\" : \"x\","));

    // a field name is quoted only if it is one of the format's: the content is never repeated
    assertThat(refusal(Reason.CORRUPT).getMessage())
        .contains("a field that format version 1 does not have in header")
        .doesNotContain("comment");
  }

  @Test
  void aKdfFieldOfTheOtherFunctionIsRefused() throws IOException {
    edit(json -> json.replace("\"iterations\" : 1,", "\"iterations\" : 1, \"n\" : 16,"));

    assertThat(refusal(Reason.CORRUPT).getMessage()).contains("kdf.n");
  }

  @Test
  void base64WithoutItsPaddingIsRefused() throws IOException {
    edit(
        json -> {
          String ciphertext = fieldText(json, "ciphertext");
          assertThat(ciphertext).endsWith("=");
          return json.replace(ciphertext, ciphertext.replace("=", ""));
        });

    assertThat(refusal(Reason.CORRUPT).getMessage()).contains("cipher.ciphertext").contains("base64");
  }

  @Test
  void base64WithNonCanonicalTrailingBitsIsRefused() throws IOException {
    edit(
        json -> {
          String ciphertext = fieldText(json, "ciphertext");
          byte[] bytes = Base64.getDecoder().decode(ciphertext);
          String canonical = Base64.getEncoder().encodeToString(bytes);
          assertThat(canonical).isEqualTo(ciphertext).endsWith("==");
          // 49 bytes: the last base64 digit before "==" carries 2 data bits and 4 unused bits
          int last = canonical.length() - 3;
          String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
          int digit = alphabet.indexOf(canonical.charAt(last));
          String edited =
              canonical.substring(0, last) + alphabet.charAt(digit | 1) + canonical.substring(last + 1);
          assertThat(Base64.getDecoder().decode(edited)).as("decodes to the same bytes").isEqualTo(bytes);
          return json.replace(ciphertext, edited);
        });

    assertThat(refusal(Reason.CORRUPT).getMessage()).contains("cipher.ciphertext").contains("base64");
  }

  @Test
  void aFileThatIsNotUtf8IsRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(first());
    String json = new String(bytes, StandardCharsets.UTF_8);
    int at = json.indexOf("\"keyName\" : \"") + "\"keyName\" : \"".length();
    bytes[at] = (byte) 0xC3; // a lead byte followed by ASCII: malformed UTF-8
    Files.write(first(), bytes);

    refusal(Reason.CORRUPT);
  }

  @Test
  void aFileLargerThanTheCapIsRefusedUnread() throws IOException {
    edit(json -> json + " ".repeat((int) KeyshareFile.MAX_FILE_BYTES));

    assertThat(refusal(Reason.NOT_A_KEY_FILE).getMessage()).contains("larger than");
  }

  @Test
  void aFolderInsteadOfAFileIsNotReadable() throws IOException {
    Files.delete(first());
    Files.createDirectory(first());

    assertThat(refusal(Reason.NOT_READABLE).getMessage()).contains("is not a regular file");
  }

  @Test
  void aMissingFileIsNotReadableAndSaysSo() throws IOException {
    Files.delete(first());

    assertThat(refusal(Reason.NOT_READABLE).getMessage()).contains("does not exist");
  }

  @Test
  void aFileOfExactlyTheCapIsRead() throws IOException {
    String json = Files.readString(first());
    // JSON allows blank space after the value: pad the intact file to exactly the cap
    Files.writeString(first(), json + " ".repeat((int) KeyshareFile.MAX_FILE_BYTES - json.length()));
    assertThat(Files.size(first())).isEqualTo(KeyshareFile.MAX_FILE_BYTES);

    assertThat(Keyshares.readHeader(first()).shareIndex()).isEqualTo(1);
    assertThat(Keyshares.verify(set).minimum()).isEqualTo(2);
  }

  private KeyFileException headerRefusal(Reason reason) {
    Throwable thrown = catchThrowable(() -> Keyshares.readHeader(first()));
    assertThat(thrown).isInstanceOf(KeyFileException.class);
    KeyFileException e = (KeyFileException) thrown;
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.file()).contains(first());
    return e;
  }

  @Test
  void anUnknownTopLevelFieldIsRefusedWithoutThePassphrase() throws IOException {
    edit(json -> json.replaceFirst("\\{", "{ \"comment\" : \"x\","));

    assertThat(headerRefusal(Reason.CORRUPT).getMessage())
        .contains("a field that format version 1 does not have (")
        .doesNotContain("comment");
  }

  @Test
  void aFieldOfTheFormatInTheWrongPlaceIsRefusedByName() throws IOException {
    edit(json -> json.replaceFirst("\\{", "{ \"nonce\" : \"x\","));

    assertThat(headerRefusal(Reason.CORRUPT).getMessage())
        .contains("the field nonce, which does not belong there");
  }

  @Test
  void anUnknownCipherFieldIsRefusedWithoutThePassphrase() throws IOException {
    edit(json -> json.replace("\"cipher\" : {", "\"cipher\" : { \"tag\" : \"x\","));

    assertThat(headerRefusal(Reason.CORRUPT).getMessage())
        .contains("a field that format version 1 does not have in cipher");
  }

  @Test
  void anUnknownScryptFieldIsRefusedWithoutThePassphrase() throws IOException {
    Files.writeString(
        first(), kdfWith("\"name\" : \"scrypt\", \"n\" : 16, \"r\" : 1, \"p\" : 1, \"q\" : 1"));

    assertThat(headerRefusal(Reason.CORRUPT).getMessage())
        .contains("a field that format version 1 does not have in kdf");
    Files.writeString(first(), kdfWith("\"name\" : \"scrypt\", \"n\" : 16, \"r\" : 1, \"p\" : 1"));
    assertThat(Keyshares.readHeader(first()).kdf()).isEqualTo(KdfParameters.scrypt(16, 1, 1));
  }

  @Test
  void aDuplicateFieldThatIsNotTheFormatsIsRefusedWithoutNamingIt() throws IOException {
    edit(json -> json.replace("\"minimum\" : 2,", "\"zz\" : 1, \"zz\" : 1, \"minimum\" : 2,"));

    assertThat(headerRefusal(Reason.CORRUPT).getMessage())
        .contains("a field appears twice")
        .doesNotContain("zz");
  }

  @Test
  void anEmptyOrBlankFileIsNotAKeyFile() throws IOException {
    Files.writeString(first(), "");
    headerRefusal(Reason.NOT_A_KEY_FILE);
    Files.writeString(first(), "  \n ");
    headerRefusal(Reason.NOT_A_KEY_FILE);
  }

  @Test
  void brokenJsonIsDamagedOnlyIfItNamesTheFormat() throws IOException {
    Files.writeString(first(), "{\"format\" : \"kp-dedicated-keyshare\", \"version\" : ");
    assertThat(headerRefusal(Reason.CORRUPT).getMessage()).contains("not complete, well-formed JSON");
    Files.writeString(first(), "{\"format\" : \"something-else\", \"version\" : ");
    headerRefusal(Reason.NOT_A_KEY_FILE);
  }

  @Test
  void bytesThatAreNotUtf8AreDamagedIfTheyEndWithTheFormatName() throws IOException {
    byte[] name = "\"kp-dedicated-keyshare\"".getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[name.length + 2];
    bytes[0] = (byte) 0xC3; // a lead byte followed by ASCII: malformed UTF-8
    bytes[1] = '{';
    System.arraycopy(name, 0, bytes, 2, name.length);
    Files.write(first(), bytes);

    assertThat(headerRefusal(Reason.CORRUPT).getMessage()).contains("not valid UTF-8");
    Files.write(first(), java.util.Arrays.copyOf(bytes, bytes.length - 1));
    headerRefusal(Reason.NOT_A_KEY_FILE);
  }

  @Test
  void aDeeplyNestedFileIsRefusedWithoutAStackOverflow() throws IOException {
    Files.writeString(
        first(), "{\"format\" : \"kp-dedicated-keyshare\", \"x\" : " + "[".repeat(20_000));

    refusal(Reason.CORRUPT);
  }

  @Test
  void theUntouchedSetStillOpens() {
    assertThat(Keyshares.verify(set).minimum()).isEqualTo(2);
  }
}
