package io.kpdedicated.core.portable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareSetInfo;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.crypto.RebuiltKeyshares;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortableMasterKeyTest {
  @TempDir Path dir;

  private final PrepareContext context = new PrepareContext(false, new SecureRandom(),
      Clock.systemUTC(), KdfCost.forTestsOnly());

  /** Counts writes and opens (each runs every file's passphrase KDF once). */
  private static final class Counting implements KeyshareFiles {
    int writes;
    int opens;

    @Override
    public KeyshareSetInfo write(MasterKey key, int minimum, List<KeyshareLocation> targets,
        KeyshareWriteOptions options) {
      writes++;
      return KeyshareFiles.STANDARD.write(key, minimum, targets, options);
    }

    @Override
    public RebuiltKeyshares open(List<KeyshareLocation> locations) {
      opens++;
      return KeyshareFiles.STANDARD.open(locations);
    }
  }

  private List<KeyshareLocation> shares() {
    List<KeyshareLocation> list = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      list.add(new KeyshareLocation(dir.resolve("share" + i + ".json"),
          Passphrase.of("pass-phrase-no-" + i)));
    }
    return list;
  }

  @Test
  void generatingWritesTheSetOnceAndDoesNotOpenItAgain() {
    Counting files = new Counting();

    try (PortableMasterKey key = PortableMasterKey.prepare(
        MasterKeySource.generate("mk1", 2, shares()), context, files)) {
      assertThat(files.writes).isEqualTo(1);
      assertThat(files.opens).as("no second KDF pass over the files just written").isZero();
      assertThat(key.action()).isEqualTo(KeysharesAction.GENERATE);
      // the set written is whole: it opens and rebuilds the key with the same check value
      try (RebuiltKeyshares opened = Keyshares.open(shares())) {
        assertThat(opened.info().checkValue().hex())
            .isEqualTo(key.checkValue().orElseThrow().text());
        assertThat(opened.info().minimum()).isEqualTo(2);
        assertThat(opened.info().count()).isEqualTo(3);
      }
    }
  }

  @Test
  void reusingTheSetOpensItOnceAndWritesNothing() {
    PortableMasterKey.prepare(MasterKeySource.generate("mk1", 2, shares()), context).close();
    Counting files = new Counting();

    try (PortableMasterKey key = PortableMasterKey.prepare(
        MasterKeySource.generate("mk1", 2, shares()), context, files)) {
      assertThat(files.opens).isEqualTo(1);
      assertThat(files.writes).isZero();
      assertThat(key.action()).isEqualTo(KeysharesAction.REUSE);
    }
  }

  @Test
  void aWrittenSetWhoseCheckValueIsNotTheKeysIsRefused() {
    KeyshareFiles lying = new KeyshareFiles() {
      @Override
      public KeyshareSetInfo write(MasterKey key, int minimum, List<KeyshareLocation> targets,
          KeyshareWriteOptions options) {
        KeyshareSetInfo real = KeyshareFiles.STANDARD.write(key, minimum, targets, options);
        return new KeyshareSetInfo(real.setId(), real.keyName(), new KeyCheckValue("0123456789"),
            real.minimum(), real.count());
      }

      @Override
      public RebuiltKeyshares open(List<KeyshareLocation> locations) {
        throw new AssertionError("not expected");
      }
    };

    assertThatThrownBy(() -> PortableMasterKey.prepare(
        MasterKeySource.generate("mk1", 2, shares()), context, lying))
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("rebuild a key with check value 0123456789");
  }
}
