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
}
