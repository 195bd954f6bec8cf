package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ways to name the administrator identity, what each accepts and what each shows. */
class AdminIdentitySourceTest {
  private static final Path FILE = Path.of("admin.p12");

  @Test
  void generatingTakesTwoThousandFortyEightBitsUnlessToldOtherwise() {
    Passphrase pass = Passphrase.of("correct horse identity");

    AdminIdentitySource source = AdminIdentitySource.generate(FILE, pass, "admin");

    assertThat(source).isEqualTo(new AdminIdentitySource.Generate(FILE, pass, "admin", 2048));
  }

  @ParameterizedTest
  @ValueSource(ints = {2048, 3072, 4096})
  void generatingAcceptsTheThreeKeySizesTheServiceTakes(int bits) {
    Passphrase pass = Passphrase.of("correct horse identity");

    AdminIdentitySource source = AdminIdentitySource.generate(FILE, pass, "admin", bits);

    assertThat(source).isEqualTo(new AdminIdentitySource.Generate(FILE, pass, "admin", bits));
    assertThat(((AdminIdentitySource.Generate) source).rsaBits()).isEqualTo(bits);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1024, 2047, 2049, 8192})
  void generatingRefusesAnyOtherKeySize(int bits) {
    assertThatThrownBy(() -> AdminIdentitySource.generate(FILE, null, "admin", bits))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rsaBits must be 2048, 3072 or 4096, got " + bits);
  }

  @Test
  void generatingNeedsAFileAndAName() {
    assertThatThrownBy(() -> AdminIdentitySource.generate(FILE, null, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("adminName must not be blank");
    assertThatThrownBy(() -> AdminIdentitySource.generate(FILE, null, null))
        .hasMessage("adminName");
    assertThatThrownBy(() -> AdminIdentitySource.generate(null, null, "admin"))
        .hasMessage("file");
  }

  @Test
  void noSourceShowsItsPassphraseOrKey() {
    FakeSigner signer = new FakeSigner();
    Passphrase pass = Passphrase.of("correct horse identity");

    String provided = AdminIdentitySource.of(signer).toString();
    String generated = AdminIdentitySource.generate(FILE, pass, "admin").toString();
    String loaded = AdminIdentitySource.load(FILE, pass).toString();

    assertThat(provided).isEqualTo("Provided[signer=FakeSigner]")
        .doesNotContain(Base64.getEncoder().encodeToString(signer.publicKey().getEncoded()))
        .doesNotContain(signer.publicKey().getModulus().toString(16));
    assertThat(generated).contains("admin.p12", "admin", "2048");
    assertThat(generated + loaded).doesNotContain("correct horse");
  }
}
