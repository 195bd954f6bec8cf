package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KdfParametersTest {

  @Test
  void theOwaspDefaultsAreTheDocumentedValues() {
    assertThat(KdfParameters.owaspArgon2id())
        .isEqualTo(new KdfParameters.Argon2id(19456, 2, 1))
        .extracting(KdfParameters::name)
        .isEqualTo("argon2id");
    assertThat(KdfParameters.owaspScrypt())
        .isEqualTo(new KdfParameters.Scrypt(131072, 8, 1))
        .extracting(KdfParameters::name)
        .isEqualTo("scrypt");
  }

  @Test
  void rejectsArgon2idCostsOutsideTheSafeRange() {
    assertThatThrownBy(() -> KdfParameters.argon2id(7, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdfParameters.argon2id(64, 1, 16 + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdfParameters.argon2id(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdfParameters.argon2id(2 * 1024 * 1024, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KiB");
    assertThat(KdfParameters.argon2id(KdfParameters.MAX_MEMORY_KIB, 1, 1)).isNotNull();
  }

  @Test
  void rejectsScryptCostsOutsideTheSafeRange() {
    assertThatThrownBy(() -> KdfParameters.scrypt(1000, 8, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> KdfParameters.scrypt(1 << 23, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdfParameters.scrypt(1 << 22, 8, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4096 MiB of memory");
    assertThatThrownBy(() -> KdfParameters.scrypt(16, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdfParameters.scrypt(16, 1, 17)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBoundCountsEveryScryptLaneAndArgon2idPassesAndLanes() {
    // exactly at the bound: 256 MiB of memory, 1 GiB / 512 MiB of work, 8 s estimated
    KdfParameters argonEdge = KdfParameters.argon2id(KdfParameters.MAX_MEMORY_KIB, 4, 1);
    assertThat(argonEdge.memoryBytes()).isEqualTo(KdfParameters.MAX_MEMORY_BYTES);
    assertThat(argonEdge.workBytes()).isEqualTo(KdfParameters.MAX_WORK_BYTES);
    assertThat(argonEdge.estimatedTime()).isEqualTo(KdfParameters.MAX_ESTIMATED_TIME);
    KdfParameters scryptEdge = KdfParameters.scrypt(1 << 17, 8, 2);
    assertThat(scryptEdge.memoryBytes()).isEqualTo(KdfParameters.MAX_MEMORY_BYTES);
    assertThat(scryptEdge.estimatedTime()).isEqualTo(KdfParameters.MAX_ESTIMATED_TIME);

    assertThatThrownBy(() -> KdfParameters.scrypt(1 << 17, 8, 3))
        .isInstanceOf(KdfParameters.CostException.class)
        .hasMessageContaining("384 MiB of memory")
        .hasMessageContaining("kdf.p");
    assertThatThrownBy(() -> KdfParameters.argon2id(KdfParameters.MAX_MEMORY_KIB, 4, 2))
        .isInstanceOf(KdfParameters.CostException.class)
        .hasMessageContaining("2048 MiB of work");
    assertThatThrownBy(() -> KdfParameters.argon2id(KdfParameters.MAX_MEMORY_KIB + 1, 1, 1))
        .isInstanceOfSatisfying(
            KdfParameters.CostException.class,
            e -> assertThat(e.fields()).isEqualTo("kdf.memoryKiB"));
  }

  @Test
  void aFileAskingForAnAbsurdCostIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
    try (Passphrase p1 = Passphrase.of("first-passphrase");
        Passphrase p2 = Passphrase.of("second-passphrase");
        MasterKey key = MasterKey.generate("mk", TestSupport.seeded(1))) {
      List<KeyshareLocation> targets =
          List.of(
              new KeyshareLocation(dir.resolve("1.json"), p1),
              new KeyshareLocation(dir.resolve("2.json"), p2));
      Keyshares.write(key, 2, targets, TestSupport.cheapOptions(1));
      Path file = targets.get(0).path();
      Files.writeString(
          file, Files.readString(file).replace("\"memoryKiB\" : 64", "\"memoryKiB\" : 4194304"));

      assertThatThrownBy(() -> Keyshares.rebuild(targets))
          .isInstanceOfSatisfying(
              KeyFileException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(KeyFileException.Reason.TOO_COSTLY);
                assertThat(e.getMessage()).contains("memory").contains("kdf.memoryKiB");
              });
    }
  }

  @Test
  void argon2idNeedsEightKiBPerLaneAndNoLess() {
    assertThat(KdfParameters.argon2id(8, 1, 1).memoryBytes()).isEqualTo(8 * 1024);
    assertThat(KdfParameters.argon2id(16, 1, 2).memoryBytes()).isEqualTo(16 * 1024);
    assertThatThrownBy(() -> KdfParameters.argon2id(15, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16 KiB (8 per lane), not 15");
  }

  @Test
  void scryptTakesBlockSizesOfOneToThirtyTwo() {
    assertThat(KdfParameters.scrypt(2, 32, 1).memoryBytes()).isEqualTo(128L * 2 * 32);
    assertThat(KdfParameters.scrypt(2, 1, 1).memoryBytes()).isEqualTo(128L * 2);
    assertThatThrownBy(() -> KdfParameters.scrypt(2, 33, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 32, not 33");
  }

  @Test
  void theWorkCountsEveryArgon2idPassAndLane() {
    KdfParameters argon = KdfParameters.argon2id(1024, 3, 2);
    assertThat(argon.workBytes()).isEqualTo(1024L * 1024 * 3 * 2);
    assertThat(argon.estimatedTime().toMillis())
        .isEqualTo((6L * 1024 * 1024 * 1000 + KdfParameters.ARGON2ID_BYTES_PER_SECOND - 1)
            / KdfParameters.ARGON2ID_BYTES_PER_SECOND);
    KdfParameters scrypt = KdfParameters.scrypt(1024, 8, 2);
    assertThat(scrypt.workBytes()).isEqualTo(2L * 128 * 1024 * 8 * 2);
  }

  @Test
  void aCostOverTheBoundIsReportedInMiBWithOneDecimalWhenNotWhole() {
    assertThatThrownBy(() -> KdfParameters.argon2id(KdfParameters.MAX_MEMORY_KIB + 512, 1, 1))
        .isInstanceOf(KdfParameters.CostException.class)
        .hasMessageContaining("needs 256.5 MiB of memory, over the bound of 256 MiB");
  }
}
