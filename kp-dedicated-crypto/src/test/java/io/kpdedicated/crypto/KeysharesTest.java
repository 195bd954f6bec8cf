package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kpdedicated.crypto.KeyFileException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysharesTest {
  @TempDir Path dir;

  private final List<Passphrase> passphrases = new ArrayList<>();

  @AfterEach
  void destroyPassphrases() {
    passphrases.forEach(Passphrase::destroy);
  }

  private List<KeyshareLocation> locations(String prefix, int n) {
    List<KeyshareLocation> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Passphrase p = Passphrase.of("pass-" + prefix + "-" + i + "-secret");
      passphrases.add(p);
      out.add(new KeyshareLocation(dir.resolve(prefix + "-" + i + ".json"), p));
    }
    return out;
  }

  private static List<KeyshareLocation> pick(List<KeyshareLocation> all, int... indexes) {
    List<KeyshareLocation> out = new ArrayList<>();
    for (int i : indexes) {
      out.add(all.get(i));
    }
    return out;
  }

  private Set<String> filesInDir() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static void assertKeyFileError(
      ThrowingCallable call, Reason reason, Path file, Consumer<KeyFileException> more) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              if (file != null) {
                assertThat(e.file()).contains(file);
                assertThat(e.getMessage()).contains(file.toString());
              }
              more.accept(e);
            });
  }

  private static void assertKeyFileError(ThrowingCallable call, Reason reason, Path file) {
    assertKeyFileError(call, reason, file, e -> {});
  }

  private MasterKey key(long seed) {
    return MasterKey.generate("mk" + seed, TestSupport.seeded(seed));
  }

  @Test
  void writesOneOwnerOnlyFilePerShareAndRebuildsTheKeyFromAnyThreeOfFive() throws IOException {
    List<KeyshareLocation> all = locations("s", 5);
    try (MasterKey key = key(1)) {
      KeyshareSetInfo info = Keyshares.write(key, 3, all, TestSupport.cheapOptions(11));

      assertThat(info.minimum()).isEqualTo(3);
      assertThat(info.count()).isEqualTo(5);
      assertThat(info.keyName()).isEqualTo("mk1");
      assertThat(info.checkValue()).isEqualTo(key.checkValue());
      assertThat(info.setId()).matches("[0-9a-f]{32}");
      assertThat(filesInDir()).hasSize(5);
      if (SecureFiles.isPosix(dir)) {
        for (KeyshareLocation l : all) {
          assertThat(Files.getPosixFilePermissions(l.path()))
              .containsExactlyInAnyOrder(
                  PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
      }
      byte[] expected = key.copyKeyBytes();
      int[][] subsets = {{0, 1, 2}, {0, 2, 4}, {4, 3, 1}, {1, 2, 3, 4}, {0, 1, 2, 3, 4}};
      for (int[] subset : subsets) {
        try (MasterKey rebuilt = Keyshares.rebuild(pick(all, subset))) {
          assertThat(rebuilt.copyKeyBytes()).isEqualTo(expected);
          assertThat(rebuilt.name()).isEqualTo("mk1");
        }
      }
    }
  }

  @Test
  void verifyReportsTheSetThatWasWritten() {
    List<KeyshareLocation> all = locations("v", 3);
    try (MasterKey key = key(2)) {
      KeyshareSetInfo written = Keyshares.write(key, 2, all, TestSupport.cheapOptions(12));

      assertThat(Keyshares.verify(pick(all, 2, 0))).isEqualTo(written);
    }
  }

  @Test
  void opensTheSetOnceForBothItsDescriptionAndItsKeyAndDestroysTheKeyOnClose() {
    List<KeyshareLocation> all = locations("o", 3);
    try (MasterKey key = key(3)) {
      KeyshareSetInfo written = Keyshares.write(key, 2, all, TestSupport.cheapOptions(13));
      MasterKey rebuiltKey;
      try (RebuiltKeyshares opened = Keyshares.open(pick(all, 1, 2))) {
        assertThat(opened.info()).isEqualTo(written);
        rebuiltKey = opened.key();
        assertThat(rebuiltKey.copyKeyBytes()).isEqualTo(key.copyKeyBytes());
        assertThat(rebuiltKey.name()).isEqualTo("mk3");
        assertThat(opened.toString()).contains(written.setId()).doesNotContain("MasterKey");
      }
      assertThat(rebuiltKey.isDestroyed()).isTrue();
    }
    assertKeyFileError(() -> Keyshares.open(pick(all, 0)), Reason.TOO_FEW_SHARES, null);
  }

  @Test
  void readsThePublicHeaderWithoutThePassphrase() {
    List<KeyshareLocation> all = locations("h", 3);
    try (MasterKey key = key(3)) {
      KeyshareSetInfo info = Keyshares.write(key, 2, all, TestSupport.cheapOptions(13));

      KeyshareHeader header = Keyshares.readHeader(all.get(1).path());
      assertThat(header.file()).isEqualTo(all.get(1).path());
      assertThat(header.formatVersion()).isEqualTo(1);
      assertThat(header.shareIndex()).isEqualTo(2);
      assertThat(header.minimum()).isEqualTo(2);
      assertThat(header.count()).isEqualTo(3);
      assertThat(header.shareSetId()).isEqualTo(info.setId());
      assertThat(header.keyName()).isEqualTo("mk3");
      assertThat(header.checkValue()).isEqualTo(key.checkValue());
      assertThat(header.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
      assertThat(header.kdf()).isEqualTo(TestSupport.CHEAP_ARGON2);
      assertThat(header.setInfo()).isEqualTo(info);
      assertThat(header.describe()).contains("keyshare 2 of 3").contains(key.checkValue().hex());
    }
  }

  @Test
  void checksOneFileWithItsPassphraseAlone() {
    List<KeyshareLocation> all = locations("one", 2);
    try (MasterKey key = key(23)) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(32));
    }
    Passphrase wrong = Passphrase.of("not-the-passphrase");
    passphrases.add(wrong);

    assertThat(Keyshares.verifyFile(all.get(1)).shareIndex()).isEqualTo(2);
    assertKeyFileError(
        () -> Keyshares.verifyFile(new KeyshareLocation(all.get(0).path(), wrong)),
        Reason.WRONG_PASSPHRASE,
        all.get(0).path());
  }

  @Test
  void writesAndOpensFilesProtectedWithScrypt() throws IOException {
    List<KeyshareLocation> all = locations("scrypt", 2);
    try (MasterKey key = key(4)) {
      Keyshares.write(
          key,
          2,
          all,
          TestSupport.cheapOptions(14).toBuilder().kdf(TestSupport.CHEAP_SCRYPT).build());

      assertThat(Keyshares.readHeader(all.get(0).path()).kdf()).isEqualTo(TestSupport.CHEAP_SCRYPT);
      String json = Files.readString(all.get(0).path());
      assertThat(json).contains("\"name\" : \"scrypt\"").contains("\"n\" : 16");
      try (MasterKey rebuilt = Keyshares.rebuild(all)) {
        assertThat(rebuilt.checkValue()).isEqualTo(key.checkValue());
      }
    }
  }

  @Test
  void aWrongPassphraseIsReportedForTheFileItDoesNotOpen() {
    List<KeyshareLocation> all = locations("w", 3);
    try (MasterKey key = key(5)) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(15));
    }
    Passphrase wrong = Passphrase.of("not-the-passphrase");
    passphrases.add(wrong);
    List<KeyshareLocation> given =
        List.of(all.get(0), new KeyshareLocation(all.get(1).path(), wrong));

    assertKeyFileError(
        () -> Keyshares.rebuild(given),
        Reason.WRONG_PASSPHRASE,
        all.get(1).path(),
        e -> assertThat(e.getMessage()).contains("passphrase"));
  }

  @Test
  void aTruncatedFileIsReportedAsCorrupt() throws IOException {
    List<KeyshareLocation> all = locations("t", 2);
    try (MasterKey key = key(6)) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(16));
    }
    Path file = all.get(0).path();
    byte[] content = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(content, content.length / 2));

    assertKeyFileError(() -> Keyshares.rebuild(all), Reason.CORRUPT, file);
    assertKeyFileError(() -> Keyshares.readHeader(file), Reason.CORRUPT, file);
  }

  @Test
  void anEditedHeaderFieldIsReportedAsCorrupt() throws IOException {
    List<KeyshareLocation> all = locations("e", 2);
    try (MasterKey key = key(7)) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(17));
    }
    Path file = all.get(1).path();
    String json = Files.readString(file);
    Files.writeString(file, json.replace("2025-01-02T03:04:05Z", "2024-01-02T03:04:05Z"));

    assertKeyFileError(
        () -> Keyshares.rebuild(all),
        Reason.CORRUPT,
        file,
        e -> assertThat(e.getMessage()).contains("authenticate"));
  }

  @Test
  void anEditedCiphertextIsDetectedAtFileLevel() throws IOException {
    List<KeyshareLocation> all = locations("c", 2);
    try (MasterKey key = key(8)) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(18));
    }
    Path file = all.get(0).path();
    String json = Files.readString(file);
    int at = json.indexOf("\"ciphertext\" : \"") + "\"ciphertext\" : \"".length();
    char c = json.charAt(at + 3);
    String edited = json.substring(0, at + 3) + (c == 'A' ? 'B' : 'A') + json.substring(at + 4);
    Files.writeString(file, edited);

    assertKeyFileError(() -> Keyshares.rebuild(all), Reason.CORRUPT, file);
  }

  @Test
  void aShareOfAnotherSetIsReportedAsForeign() {
    List<KeyshareLocation> first = locations("a", 3);
    List<KeyshareLocation> second = locations("b", 3);
    try (MasterKey k1 = key(9);
        MasterKey k2 = key(10)) {
      Keyshares.write(k1, 2, first, TestSupport.cheapOptions(19));
      Keyshares.write(k2, 2, second, TestSupport.cheapOptions(20));
    }

    assertKeyFileError(
        () -> Keyshares.rebuild(List.of(first.get(0), second.get(1))),
        Reason.FOREIGN_SHARE_SET,
        second.get(1).path(),
        e -> assertThat(e.getMessage()).contains(first.get(0).path().toString()));
  }

  @Test
  void theSameShareTwiceIsReportedAsDuplicate() throws IOException {
    List<KeyshareLocation> all = locations("d", 3);
    try (MasterKey key = key(11)) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(21));
    }
    Path copy = dir.resolve("copy-of-d-1.json");
    Files.copy(all.get(0).path(), copy);
    KeyshareLocation copied = new KeyshareLocation(copy, all.get(0).passphrase());

    assertKeyFileError(
        () -> Keyshares.rebuild(List.of(all.get(0), copied)), Reason.DUPLICATE_SHARE, copy);
    assertKeyFileError(
        () -> Keyshares.verify(List.of(all.get(0), all.get(0))),
        Reason.DUPLICATE_SHARE,
        all.get(0).path());
  }

  @Test
  void fewerThanKSharesAreReportedAsTooFew() {
    List<KeyshareLocation> all = locations("f", 5);
    try (MasterKey key = key(12)) {
      Keyshares.write(key, 3, all, TestSupport.cheapOptions(22));
    }

    assertKeyFileError(
        () -> Keyshares.rebuild(pick(all, 0, 4)),
        Reason.TOO_FEW_SHARES,
        null,
        e -> assertThat(e.getMessage()).contains("needs 3").contains("only 2 were given"));
    assertKeyFileError(() -> Keyshares.verify(List.of()), Reason.TOO_FEW_SHARES, null);
  }

  @Test
  void anUnknownFormatVersionIsReportedAsUnsupported() throws IOException {
    List<KeyshareLocation> all = locations("u", 2);
    try (MasterKey key = key(13)) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(23));
    }
    Path file = all.get(0).path();
    Files.writeString(file, Files.readString(file).replace("\"version\" : 1", "\"version\" : 2"));

    assertKeyFileError(
        () -> Keyshares.rebuild(all),
        Reason.UNSUPPORTED_VERSION,
        file,
        e -> assertThat(e.getMessage()).contains("version 2"));
  }

  @Test
  void aFileThatIsNotJsonOrNotAKeyshareIsReportedAsNotAKeyFile() throws IOException {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "just some notes, not a keyshare");
    Path otherJson = dir.resolve("other.json");
    Files.writeString(otherJson, "{\"format\":\"something-else\",\"version\":1}");
    Path binary = dir.resolve("random.bin");
    byte[] noise = new byte[300];
    TestSupport.seeded(5).nextBytes(noise);
    Files.write(binary, noise);

    assertKeyFileError(() -> Keyshares.readHeader(text), Reason.NOT_A_KEY_FILE, text);
    assertKeyFileError(() -> Keyshares.readHeader(otherJson), Reason.NOT_A_KEY_FILE, otherJson);
    assertKeyFileError(() -> Keyshares.readHeader(binary), Reason.NOT_A_KEY_FILE, binary);
  }

  @Test
  void aMissingFileIsReportedAsNotReadable() {
    Path missing = dir.resolve("missing.json");

    assertKeyFileError(() -> Keyshares.readHeader(missing), Reason.NOT_READABLE, missing);
  }

  @Test
  void aMissingFieldIsReportedAsCorrupt() throws IOException {
    List<KeyshareLocation> all = locations("m", 2);
    try (MasterKey key = key(14)) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(24));
    }
    Path file = all.get(0).path();
    Files.writeString(
        file, Files.readString(file).replaceAll("\"keyName\" : \"[^\"]*\",", ""));

    assertKeyFileError(() -> Keyshares.readHeader(file), Reason.CORRUPT, file);
  }

  @Test
  void sharesThatAuthenticateButRebuildAnotherKeyFailTheCheckValue() throws IOException {
    List<KeyshareLocation> all = locations("k", 2);
    try (MasterKey key = key(15)) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(25));
    }
    // Re-encode share 2 with the same header but other share bytes, as a buggy writer might.
    KeyshareHeader header = Keyshares.readHeader(all.get(1).path());
    byte[] bogus = new byte[MasterKey.KEY_BYTES + 1];
    TestSupport.seeded(99).nextBytes(bogus);
    bogus[MasterKey.KEY_BYTES] = (byte) header.shareIndex();
    Files.write(
        all.get(1).path(),
        KeyshareFile.encode(header, bogus, all.get(1).passphrase(), TestSupport.seeded(98)));

    assertKeyFileError(
        () -> Keyshares.rebuild(all),
        Reason.CHECK_VALUE_MISMATCH,
        null,
        e -> assertThat(e.getMessage()).contains(header.checkValue().hex()));
  }

  @Test
  void refusesToOverwriteAnExistingShareFileAndWritesNoneOfTheSet() throws IOException {
    List<KeyshareLocation> all = locations("x", 3);
    Files.writeString(all.get(2).path(), "keep me");

    try (MasterKey key = key(16)) {
      assertKeyFileError(
          () -> Keyshares.write(key, 2, all, TestSupport.cheapOptions(26)),
          Reason.ALREADY_EXISTS,
          all.get(2).path());
    }
    assertThat(filesInDir()).containsExactly("x-3.json");
    assertThat(Files.readString(all.get(2).path())).isEqualTo("keep me");
  }

  @Test
  void overwritesExistingShareFilesOnlyWhenAsked() throws IOException {
    List<KeyshareLocation> all = locations("o", 2);
    Files.writeString(all.get(0).path(), "old");
    try (MasterKey key = key(17)) {
      Keyshares.write(
          key, 2, all, TestSupport.cheapOptions(27).toBuilder().overwrite(true).build());
      try (MasterKey rebuilt = Keyshares.rebuild(all)) {
        assertThat(rebuilt.checkValue()).isEqualTo(key.checkValue());
      }
    }
  }

  @Test
  void leavesNoFileOfTheSetBehindWhenOneTargetCannotBeWritten() throws IOException {
    List<KeyshareLocation> all = new ArrayList<>(locations("n", 3));
    // The third target's folder does not exist, so writing it fails after the first two.
    Passphrase p = Passphrase.of("another-passphrase");
    passphrases.add(p);
    all.set(2, new KeyshareLocation(dir.resolve("no-such-folder").resolve("n-3.json"), p));

    try (MasterKey key = key(18)) {
      assertKeyFileError(
          () -> Keyshares.write(key, 2, all, TestSupport.cheapOptions(28)),
          Reason.WRITE_FAILED,
          all.get(2).path());
    }
    assertThat(filesInDir()).isEmpty();
  }

  @Test
  void leavesNoFileOfTheSetBehindWhenMovingALaterFileIntoPlaceFails() throws IOException {
    List<KeyshareLocation> all = locations("r", 3);
    Files.createDirectories(all.get(1).path());
    Files.writeString(all.get(1).path().resolve("inside"), "x");

    try (MasterKey key = key(19)) {
      assertKeyFileError(
          () ->
              Keyshares.write(
                  key, 2, all, TestSupport.cheapOptions(29).toBuilder().overwrite(true).build()),
          Reason.WRITE_FAILED,
          all.get(1).path());
    }
    assertThat(filesInDir()).containsExactly("r-2.json");
    assertThat(all.get(0).path()).doesNotExist();
    assertThat(all.get(2).path()).doesNotExist();
  }

  @Test
  void rejectsInvalidThresholdsAndRepeatedTargets() {
    List<KeyshareLocation> three = locations("i", 3);
    try (MasterKey key = key(20)) {
      KeyshareWriteOptions options = TestSupport.cheapOptions(30);
      assertThatThrownBy(() -> Keyshares.write(key, 1, three, options))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("2 <= K <= N <= 255");
      assertThatThrownBy(() -> Keyshares.write(key, 4, three, options))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> Keyshares.write(key, 2, List.of(three.get(0), three.get(0)), options))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("same file");
    }
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void theDefaultKdfIsOwaspLevelArgon2id() {
    KeyshareWriteOptions defaults = KeyshareWriteOptions.defaults();

    assertThat(defaults.kdf()).isEqualTo(KdfParameters.argon2id(19 * 1024, 2, 1));
    assertThat(defaults.overwrite()).isFalse();
    assertThat(defaults.random()).isNotNull();
    assertThat(KdfParameters.owaspScrypt()).isEqualTo(KdfParameters.scrypt(1 << 17, 8, 1));
  }

  @Test
  void writesAndOpensASetWithTheDefaultOptions() throws IOException {
    List<KeyshareLocation> all = locations("default", 2);
    try (MasterKey key = key(21)) {
      Keyshares.write(key, 2, all, KeyshareWriteOptions.defaults());

      String json = Files.readString(all.get(0).path());
      assertThat(json)
          .contains("\"name\" : \"argon2id\"")
          .contains("\"memoryKiB\" : 19456")
          .contains("\"iterations\" : 2")
          .contains("\"parallelism\" : 1");
      assertThat(Keyshares.verify(all).checkValue()).isEqualTo(key.checkValue());
    }
  }

  @Test
  void theFileIsTheDocumentedJsonEnvelope() throws IOException {
    List<KeyshareLocation> all = locations("j", 2);
    try (MasterKey key = key(22)) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(31));
    }
    String json = Files.readString(all.get(0).path(), StandardCharsets.UTF_8);

    assertThat(json)
        .contains("\"format\" : \"kp-dedicated-keyshare\"")
        .contains("\"version\" : 1")
        .contains("\"shareIndex\" : 1")
        .contains("\"minimum\" : 2")
        .contains("\"count\" : 2")
        .contains("\"shareSetId\" : \"")
        .contains("\"keyName\" : \"mk22\"")
        .contains("\"keyCheckValue\" : \"")
        .contains("\"createdAt\" : \"2025-01-02T03:04:05Z\"")
        .contains("\"salt\" : \"")
        .contains("\"passphraseCheck\" : \"")
        .contains("\"name\" : \"AES-256-GCM\"")
        .contains("\"nonce\" : \"")
        .contains("\"ciphertext\" : \"");
  }

  @Test
  void writeReturnsWhatVerifyFindsSoAJustWrittenSetNeedsNoSecondKdfRun() {
    try (MasterKey key = key(40)) {
      List<KeyshareLocation> all = locations("once", 3);

      KeyshareSetInfo written = Keyshares.write(key, 2, all, TestSupport.cheapOptions(40));

      assertThat(written.checkValue()).isEqualTo(key.checkValue());
      assertThat(Keyshares.verify(all)).isEqualTo(written);
    }
  }

  @Test
  void aWrittenFileThatDoesNotReadBackAsWrittenIsAWriteFailureNamingTheFile() throws IOException {
    Path file = dir.resolve("short.json");
    Files.write(file, new byte[] {1, 2, 3});
    Map<Path, byte[]> contents = new LinkedHashMap<>();
    contents.put(file, new byte[] {1, 2, 3, 4});

    assertKeyFileError(() -> Keyshares.checkReadsBack(contents), Reason.WRITE_FAILED, file,
        e -> assertThat(e.getMessage()).contains("does not read back as written"));
  }

  @Test
  void aWrittenFileThatHasGoneIsAWriteFailureNamingTheFile() {
    Path file = dir.resolve("gone.json");
    Map<Path, byte[]> contents = Map.of(file, new byte[] {1});

    assertKeyFileError(() -> Keyshares.checkReadsBack(contents), Reason.WRITE_FAILED, file,
        e -> assertThat(e.getMessage()).contains("cannot be read back"));
  }
}
