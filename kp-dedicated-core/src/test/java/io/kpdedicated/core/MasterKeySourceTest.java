package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasterKeySourceTest {

  private static KeyshareLocation share(String path) {
    return new KeyshareLocation(Path.of(path), Passphrase.of("passphrase-" + path));
  }

  private static List<KeyshareLocation> shares(int n) {
    List<KeyshareLocation> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add(share("share" + i));
    }
    return list;
  }

  @Test
  void acceptsKeyNamesOfOneToEightCharacters() {
    assertThatCode(() -> MasterKeySource.generate("k", 2, shares(2))).doesNotThrowAnyException();
    assertThatCode(() -> MasterKeySource.generate("12345678", 2, shares(2)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> MasterKeySource.generate("", 2, shares(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 8 characters");
    assertThatThrownBy(() -> MasterKeySource.generate("123456789", 2, shares(2)))
        .hasMessageContaining("it has 9");
  }

  @Test
  void needsAtLeastTwoKeysharesAndAMinimumBetweenTwoAndTheirCount() {
    assertThatThrownBy(() -> MasterKeySource.generate("mk", 1, shares(1)))
        .hasMessageContaining("at least 2 keyshare files");
    assertThatThrownBy(() -> MasterKeySource.generate("mk", 1, shares(3)))
        .hasMessageContaining("minimum must be at least 2");
    assertThatThrownBy(() -> MasterKeySource.generate("mk", 4, shares(3)))
        .hasMessageContaining("must not exceed the number of keyshares (3)");
    assertThatCode(() -> MasterKeySource.generate("mk", 3, shares(3))).doesNotThrowAnyException();
    assertThatThrownBy(() -> MasterKeySource.existing(shares(1)))
        .hasMessageContaining("at least 2");
  }

  @Test
  void refusesTheSameKeyshareFileTwiceEvenWhenSpelledDifferently() {
    List<KeyshareLocation> list = List.of(share("dir/a.share"), share("dir/./sub/../a.share"));
    assertThatThrownBy(() -> MasterKeySource.generate("mk", 2, list))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same file twice (#1 and #2");
    assertThatThrownBy(() -> MasterKeySource.existing(list)).hasMessageContaining("same file");
  }

  @Test
  void refusesADestroyedPassphraseWithoutShowingIt() {
    Passphrase p = Passphrase.of("secret-words");
    List<KeyshareLocation> list = List.of(share("a"), new KeyshareLocation(Path.of("b"), p));
    p.destroy();
    assertThatThrownBy(() -> MasterKeySource.generate("mk", 2, list))
        .hasMessageContaining("keyshare #2 (b) was destroyed")
        .hasMessageNotContaining("secret-words");
  }

  @Test
  void passphrasesMustHaveSixTo255Characters() {
    assertThatThrownBy(() -> Passphrase.of("five5")).hasMessageContaining("6 to 255");
    assertThatThrownBy(() -> Passphrase.of("x".repeat(256))).hasMessageContaining("6 to 255");
  }

  @Test
  void copiesTheListItIsGiven() {
    List<KeyshareLocation> list = new ArrayList<>(shares(2));
    MasterKeySource source = MasterKeySource.existing(list);
    list.clear();
    assertThat(source.locations()).hasSize(2);
  }
}
