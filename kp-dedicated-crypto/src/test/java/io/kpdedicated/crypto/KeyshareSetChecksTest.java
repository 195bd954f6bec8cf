package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kpdedicated.crypto.KeyFileException.Reason;
import io.kpdedicated.crypto.internal.KeyshareFileDto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks that make a set of keyshare files one set, each tested on its own: a share whose
 * encrypted x coordinate or length disagrees with its authenticated header, a file of another set
 * (another id), a file that claims the same id but another K, N, key name or check value, the same
 * share twice, fewer than K shares, and the guard against overwriting, before any work is done.
 */
class KeyshareSetChecksTest {
  @TempDir Path dir;

  private final List<Passphrase> passphrases = new ArrayList<>();

  @AfterEach
  void destroyPassphrases() {
    passphrases.forEach(Passphrase::destroy);
  }

  private List<KeyshareLocation> locations(String prefix, int n) {
    List<KeyshareLocation> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Passphrase p = Passphrase.of("checks-" + prefix + "-" + i);
      passphrases.add(p);
      out.add(new KeyshareLocation(dir.resolve(prefix + "-" + i + ".json"), p));
    }
    return out;
  }

  private static void assertRefused(
      ThrowingCallable call, Reason reason, Path file, Consumer<KeyFileException> more) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KeyFileException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
              assertThat(e.file()).isEqualTo(java.util.Optional.ofNullable(file));
              more.accept(e);
            });
  }

  /** Re-encrypts {@code share} under {@code header} into the header's file, as a buggy writer might. */
  private static void reencode(KeyshareHeader header, byte[] share, Passphrase pass)
      throws IOException {
    Files.write(header.file(), KeyshareFile.encode(header, share, pass, TestSupport.seeded(71)));
  }

  private static byte[] shareBytes(int length, int x) {
    byte[] share = new byte[length];
    TestSupport.seeded(72).nextBytes(share);
    share[length - 1] = (byte) x;
    return share;
  }

  @Test
  void aShareWhoseXCoordinateIsNotItsHeaderIndexIsDamaged() throws IOException {
    List<KeyshareLocation> all = locations("x", 3);
    try (MasterKey key = MasterKey.generate("mk", TestSupport.seeded(73))) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(73));
    }
    KeyshareHeader header = Keyshares.readHeader(all.get(1).path());
    reencode(header, shareBytes(MasterKey.KEY_BYTES + 1, 3), all.get(1).passphrase());

    assertRefused(
        () -> Keyshares.verifyFile(all.get(1)),
        Reason.CORRUPT,
        all.get(1).path(),
        e -> assertThat(e.getMessage()).contains("does not match its header"));
    // the same share bytes under their own index open fine
    reencode(header, shareBytes(MasterKey.KEY_BYTES + 1, 2), all.get(1).passphrase());
    assertThat(Keyshares.verifyFile(all.get(1)).shareIndex()).isEqualTo(2);
  }

  @Test
  void aShareOfTheWrongLengthIsDamagedEvenWithTheRightXCoordinate() throws IOException {
    List<KeyshareLocation> all = locations("len", 2);
    try (MasterKey key = MasterKey.generate("mk", TestSupport.seeded(74))) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(74));
    }
    KeyshareHeader header = Keyshares.readHeader(all.get(0).path());
    // one byte short, then one byte long; the parse would refuse the ciphertext length first, so
    // the content goes straight to the opening step
    for (int length : new int[] {MasterKey.KEY_BYTES, MasterKey.KEY_BYTES + 2}) {
      byte[] share = shareBytes(length, 1);
      KeyshareFile.Parsed parsed = parsedWithShare(header, share, all.get(0).passphrase());
      assertThatThrownBy(() -> KeyshareFile.open(parsed, all.get(0).passphrase()))
          .isInstanceOfSatisfying(
              KeyFileException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
                assertThat(e.getMessage()).contains("does not match its header");
              });
    }
  }

  /** Encodes a share of any length and reads it back without the ciphertext length check. */
  private static KeyshareFile.Parsed parsedWithShare(
      KeyshareHeader header, byte[] share, Passphrase pass) throws IOException {
    byte[] encoded = KeyshareFile.encode(header, share, pass, TestSupport.seeded(75));
    KeyshareFileDto dto = new ObjectMapper().readValue(encoded, KeyshareFileDto.class);
    Base64.Decoder b64 = Base64.getDecoder();
    return new KeyshareFile.Parsed(
        dto,
        header,
        b64.decode(dto.kdf().salt()),
        b64.decode(dto.kdf().passphraseCheck()),
        b64.decode(dto.cipher().nonce()),
        b64.decode(dto.cipher().ciphertext()));
  }

  @Test
  void aFileOfAnotherSetIsForeignBecauseOfItsId() {
    List<KeyshareLocation> first = locations("a", 2);
    List<KeyshareLocation> second = locations("b", 2);
    KeyshareSetInfo one;
    KeyshareSetInfo two;
    try (MasterKey key = MasterKey.generate("same", TestSupport.seeded(77))) {
      // the same key, K, N and name: only the set id tells the two sets apart
      one = Keyshares.write(key, 2, first, TestSupport.cheapOptions(78));
      two = Keyshares.write(key, 2, second, TestSupport.cheapOptions(79));
    }
    assertThat(one.setId()).isNotEqualTo(two.setId());

    assertRefused(
        () -> Keyshares.verify(List.of(first.get(0), second.get(1))),
        Reason.FOREIGN_SHARE_SET,
        second.get(1).path(),
        e ->
            assertThat(e.getMessage())
                .contains("belongs to share set " + two.setId())
                .contains("not to set " + one.setId())
                .contains(first.get(0).path().toString()));
  }

  @Test
  void aFileThatClaimsTheSameSetIdButAnotherKeyIsForeign() {
    List<KeyshareLocation> first = locations("c", 3);
    List<KeyshareLocation> second = locations("d", 3);
    KeyshareSetInfo one;
    KeyshareSetInfo two;
    try (MasterKey k1 = MasterKey.generate("one", TestSupport.seeded(80));
        MasterKey k2 = MasterKey.generate("two", TestSupport.seeded(81))) {
      // the same seed draws the same set id first: two sets that claim one id
      one = Keyshares.write(k1, 2, first, TestSupport.cheapOptions(82));
      two = Keyshares.write(k2, 2, second, TestSupport.cheapOptions(82));
    }
    assertThat(one.setId()).isEqualTo(two.setId());

    assertRefused(
        () -> Keyshares.verify(List.of(first.get(0), second.get(1))),
        Reason.FOREIGN_SHARE_SET,
        second.get(1).path(),
        e -> assertThat(e.getMessage()).contains("disagrees with " + first.get(0).path()));
  }

  @Test
  void theSameShareTwiceIsADuplicateEvenWithEnoughOtherShares() throws IOException {
    List<KeyshareLocation> all = locations("dup", 3);
    try (MasterKey key = MasterKey.generate("mk", TestSupport.seeded(83))) {
      Keyshares.write(key, 2, all, TestSupport.cheapOptions(83));
    }
    Path copy = dir.resolve("copy.json");
    Files.copy(all.get(2).path(), copy);
    KeyshareLocation copied = new KeyshareLocation(copy, all.get(2).passphrase());

    assertRefused(
        () -> Keyshares.verify(List.of(all.get(0), all.get(2), copied)),
        Reason.DUPLICATE_SHARE,
        copy,
        e ->
            assertThat(e.getMessage())
                .contains("holds share 3, the same share as " + all.get(2).path())
                .contains("give 2 different shares"));
  }

  @Test
  void twoFilesOfAThreeOfFiveSetAreTooFewWithOrWithoutADuplicate() {
    List<KeyshareLocation> all = locations("few", 5);
    try (MasterKey key = MasterKey.generate("mk", TestSupport.seeded(84))) {
      Keyshares.write(key, 3, all, TestSupport.cheapOptions(84));
    }

    assertRefused(
        () -> Keyshares.verify(List.of(all.get(0))),
        Reason.TOO_FEW_SHARES,
        null,
        e -> assertThat(e.getMessage()).contains("needs 3 of its 5").contains("only 1 was given"));
    assertRefused(
        () -> Keyshares.verify(List.of(all.get(0), all.get(1))),
        Reason.TOO_FEW_SHARES,
        null,
        e -> assertThat(e.getMessage()).contains("only 2 were given"));
    assertThat(Keyshares.verify(List.of(all.get(0), all.get(1), all.get(4))).minimum())
        .isEqualTo(3);
  }

  /** A SecureRandom that counts its uses. */
  private static final class CountingRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private int calls;

    @Override
    public void nextBytes(byte[] bytes) {
      calls++;
      super.nextBytes(bytes);
    }
  }

  @Test
  void writingRefusesAnExistingTargetItselfBeforeDrawingRandomnessOrDerivingKeys()
      throws IOException {
    List<KeyshareLocation> all = locations("exists", 3);
    Files.writeString(all.get(1).path(), "keep me");
    CountingRandom random = new CountingRandom();

    try (MasterKey key = MasterKey.generate("mk", TestSupport.seeded(85))) {
      assertRefused(
          () ->
              Keyshares.write(
                  key, 2, all, TestSupport.cheapOptions(85).toBuilder().random(random).build()),
          Reason.ALREADY_EXISTS,
          all.get(1).path(),
          e ->
              assertThat(e.getMessage())
                  .startsWith("keyshare file " + all.get(1).path() + " already exists")
                  .contains("no file was written"));
    }
    assertThat(random.calls).as("nothing was drawn or derived").isZero();
    assertThat(Files.readString(all.get(1).path())).isEqualTo("keep me");
    assertThat(all.get(0).path()).doesNotExist();
    assertThat(all.get(2).path()).doesNotExist();
  }

  @Test
  void writingOverAnExistingTargetWhenAskedDrawsAndWritesTheSet() throws IOException {
    List<KeyshareLocation> all = locations("over", 2);
    Files.writeString(all.get(0).path(), "old");
    CountingRandom random = new CountingRandom();

    try (MasterKey key = MasterKey.generate("mk", TestSupport.seeded(86))) {
      Keyshares.write(
          key,
          2,
          all,
          TestSupport.cheapOptions(86).toBuilder().random(random).overwrite(true).build());
      assertThat(Keyshares.verify(all).checkValue()).isEqualTo(key.checkValue());
    }
    assertThat(random.calls).isPositive();
  }

  @Test
  void writingRefusesAnInvalidKBeforeLookingAtTheTargetsOrDrawingRandomness() throws IOException {
    List<KeyshareLocation> all = locations("k", 2);
    Files.writeString(all.get(0).path(), "exists");
    CountingRandom random = new CountingRandom();
    KeyshareWriteOptions options = TestSupport.cheapOptions(87).toBuilder().random(random).build();

    try (MasterKey key = MasterKey.generate("mk", TestSupport.seeded(87))) {
      assertThatThrownBy(() -> Keyshares.write(key, 3, all, options))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("K=3, N=2");
      assertThatThrownBy(() -> Keyshares.write(key, 1, List.of(all.get(1), all.get(1)), options))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("K=1, N=2");
    }
    assertThat(random.calls).isZero();
  }
}
