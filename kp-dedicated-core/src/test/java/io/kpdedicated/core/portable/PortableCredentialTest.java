package io.kpdedicated.core.portable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.crypto.RsaKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The administrator of a portable run: generated and saved, loaded, or given by the caller. */
class PortableCredentialTest {
  private static final FakeSigner SIGNER = new FakeSigner();

  @TempDir
  Path dir;

  private static PrepareContext context(boolean dryRun) {
    return new PrepareContext(dryRun, new SecureRandom(), Clock.systemUTC(),
        KdfCost.forTestsOnly());
  }

  private static Passphrase pass() {
    return Passphrase.of("admin identity passphrase");
  }

  @Test
  void aNewIdentityIsSavedProtectedAndClaimsWithItsPublicKey() {
    Path file = dir.resolve("admin.p12");

    PortableCredential c = PortableCredential.prepare(
        AdminIdentitySource.generate(file, pass(), "admin"), context(false));

    assertThat(c.action()).isEqualTo(IdentityAction.GENERATE);
    assertThat(c.description()).isEqualTo("generated a new administrator identity 'admin' and"
        + " saved it to " + file);
    assertThat(c).hasToString("PortableCredential[GENERATE]");
    try (AdminIdentity saved = AdminIdentity.load(file, pass())) {
      assertThat(c.claimPublicKeyPem()).isEqualTo(saved.publicKeyPkcs1Pem());
    }
    assertThat(c.claimPublicKeyPem()).isSameAs(c.claimPublicKeyPem());
    AdminIdentity owned = (AdminIdentity) c.signer();
    c.close();
    assertThat(owned.isDestroyed()).isTrue();
    c.close(); // a second close is harmless
  }

  @Test
  void aNewIdentityWithoutPassphraseIsSavedUnprotected() {
    Path file = dir.resolve("admin.p12");

    PortableCredential c = PortableCredential.prepare(
        AdminIdentitySource.generate(file, null, "admin"), context(false));

    try (AdminIdentity saved = AdminIdentity.load(file, null)) {
      assertThat(c.claimPublicKeyPem()).isEqualTo(saved.publicKeyPkcs1Pem());
    }
  }

  @Test
  void aPlanMakesTheNewIdentityInMemoryOnly() {
    Path file = dir.resolve("admin.p12");

    PortableCredential c = PortableCredential.prepare(
        AdminIdentitySource.generate(file, pass(), "admin"), context(true));

    assertThat(c.action()).isEqualTo(IdentityAction.GENERATE);
    assertThat(c.description()).isEqualTo("would generate a new administrator identity 'admin'"
        + " and save it to " + file);
    assertThat(file).doesNotExist();
    assertThat(c.claimPublicKeyPem()).contains("BEGIN RSA PUBLIC KEY");
  }

  @Test
  void theIdentityAnEarlierRunSavedIsLoadedInsteadOfGeneratingAnother() {
    Path file = dir.resolve("admin.p12");
    PortableCredential first = PortableCredential.prepare(
        AdminIdentitySource.generate(file, pass(), "admin"), context(false));

    PortableCredential again = PortableCredential.prepare(
        AdminIdentitySource.generate(file, pass(), "admin"), context(false));

    assertThat(again.action()).isEqualTo(IdentityAction.LOAD);
    assertThat(again.description()).isEqualTo("loaded the administrator identity an earlier run"
        + " saved to " + file);
    assertThat(again.claimPublicKeyPem()).isEqualTo(first.claimPublicKeyPem());
  }

  @Test
  void anEarlierRunsIdentityThatDoesNotOpenIsRefusedWithWhatToDo() throws Exception {
    Path file = dir.resolve("admin.p12");
    PortableCredential.prepare(AdminIdentitySource.generate(file, pass(), "admin"),
        context(false));
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> PortableCredential.prepare(AdminIdentitySource.generate(file,
        Passphrase.of("another passphrase entirely"), "admin"), context(false)))
        .isInstanceOfSatisfying(KeyFileException.class, e -> {
          assertThat(e.reason()).isEqualTo(KeyFileException.Reason.WRONG_PASSPHRASE);
          assertThat(e.getMessage()).contains("exists (an earlier run probably generated it)"
              + " but was refused").contains("Give the passphrase it was saved with");
          assertThat(e.getCause()).isInstanceOf(KeyFileException.class);
        });
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void aLoadedIdentityIsDescribedByItsFileAndDestroyedOnClose() {
    Path file = dir.resolve("admin.p12");
    PortableCredential.prepare(AdminIdentitySource.generate(file, pass(), "admin"),
        context(false)).close();

    PortableCredential c = PortableCredential.prepare(AdminIdentitySource.load(file, pass()),
        context(false));

    assertThat(c.action()).isEqualTo(IdentityAction.LOAD);
    assertThat(c.description()).isEqualTo("loaded the administrator identity from " + file);
    AdminIdentity owned = (AdminIdentity) c.signer();
    c.close();
    assertThat(owned.isDestroyed()).isTrue();
  }

  @Test
  void aGivenSignerClaimsWithItsOwnKeyAndIsKept() {
    PortableCredential c = PortableCredential.prepare(AdminIdentitySource.of(SIGNER),
        context(false));

    assertThat(c.action()).isEqualTo(IdentityAction.USE_GIVEN);
    assertThat(c.signer()).isSameAs(SIGNER);
    assertThat(c.claimPublicKeyPem()).isEqualTo(RsaKeys.toPkcs1Pem(SIGNER.publicKey()));
    assertThat(c.description()).isEqualTo("using the administrator signer given by the caller");
    c.close();
    assertThat(SIGNER.sign(new byte[] {1})).isNotEmpty();
  }

  @Test
  void refusesAMissingSource() {
    assertThatThrownBy(() -> PortableCredential.prepare(null, context(false)))
        .isInstanceOf(NullPointerException.class).hasMessage("source");
  }
}
