package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.crypto.RsaKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatsTest {
  @TempDir Path dir;

  private static String text(byte[] cstring) {
    assertThat(cstring[cstring.length - 1]).as("NUL-terminated").isZero();
    return new String(cstring, 0, cstring.length - 1, StandardCharsets.UTF_8);
  }

  @Test
  void keyspecJoinsAbsolutePathHashPassphraseWithCommas() {
    Path a = dir.resolve("a.mbk");
    Path b = dir.resolve("sub/../b.mbk");
    byte[] spec = Keyspec.encode(List.of(new ShareFile(a, Passphrase.of("pässwort")),
        new ShareFile(b, Passphrase.of("second1"))));
    assertThat(text(spec)).isEqualTo(a + "#pässwort," + dir.resolve("b.mbk") + "#second1");
  }

  @Test
  void keyspecRefusesCommaOrHashInPathsAndPassphrasesNamingTheFileOnly() {
    Path bad = dir.resolve("a,b.mbk");
    assertThatThrownBy(() -> Keyspec.check(List.of(new ShareFile(bad, Passphrase.of("secret1")))))
        .hasMessageContaining(bad.toString()).hasMessageNotContaining("secret1");
    assertThatThrownBy(() -> Keyspec.check(List.of(
        new ShareFile(dir.resolve("x#y"), Passphrase.of("secret1"))))).hasMessageContaining("x#y");
    Path ok = dir.resolve("ok.mbk");
    for (String pass : List.of("with,comma", "with#hash", "nul\0inside", "bad\uD800surrogate")) {
      assertThatThrownBy(() -> Keyspec.check(List.of(new ShareFile(ok, Passphrase.of(pass)))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(ok.toString()).hasMessageNotContaining(pass);
    }
    assertThatThrownBy(() -> Keyspec.check(List.of(new ShareFile(ok, Passphrase.of("secret1")),
        new ShareFile(ok, Passphrase.of("secret2"))))).hasMessageContaining("twice");
  }

  @Test
  void headersAreJoinedWithPercentAndHideTheTokenInToString() {
    NativeHeaders h = NativeHeaders.forCommand("tok", "guid", "r", "c");
    assertThat(text(h.encode())).isEqualTo("Authorization=Bearer tok%Bluemix-Instance=guid"
        + "%Instance-ID=guid%X-Request-ID=r%X-Correlation-ID=c%Correlation-Id=c");
    assertThat(h.toString()).contains("Authorization=***").doesNotContain("tok");
    assertThat(NativeHeaders.none().encode()).isNull();
    assertThatThrownBy(() -> NativeHeaders.builder().add("X-A", "50%"))
        .hasMessageContaining("X-A").hasMessageNotContaining("50%");
    assertThatThrownBy(() -> NativeHeaders.builder().add("X=A", "v"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyNamesArePaddedToEight() {
    assertThat(NativeSession.paddedKeyName("KPMK")).isEqualTo("KPMK    ");
    assertThat(NativeSession.paddedKeyName("ABCDEFGH")).isEqualTo("ABCDEFGH");
    assertThatThrownBy(() -> NativeSession.paddedKeyName("ABCDEFGHI"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NativeSession.paddedKeyName("a b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theAdminKeyFileGivesTheClaimsPkcs1Pem() throws Exception {
    RSAPublicKey key = StandInHsm.newKey(2048);
    Path f = dir.resolve("admin.key");
    Files.writeString(f, "# comment\r\nPRIV=abcd\r\nMOD=" + key.getModulus().toString(16)
        + "\r\nPEXP=010001\r\n");
    AdminKeyFile read = AdminKeyFile.read(f);
    assertThat(read.publicKey()).isEqualTo(key);
    assertThat(read.pkcs1Pem()).isEqualTo(RsaKeys.toPkcs1Pem(key));
  }

  @Test
  void adminKeyFilesThatAreSmallMalformedOrHugeAreRefused() throws Exception {
    Path f = dir.resolve("admin.key");
    Files.writeString(f, "MOD=" + StandInHsm.newKey(1024).getModulus().toString(16)
        + "\nPEXP=10001\n");
    assertThatThrownBy(() -> AdminKeyFile.read(f)).isInstanceOf(KeyFileException.class)
        .hasMessageContaining("1024 bits");
    Files.writeString(f, "PEXP=10001\n");
    assertThatThrownBy(() -> AdminKeyFile.read(f)).hasMessageContaining("no MOD= line");
    Files.writeString(f, "MOD=zz\nPEXP=10001\n");
    assertThatThrownBy(() -> AdminKeyFile.read(f)).hasMessageContaining("not hex");
    Files.writeString(f, "MOD=ab\nMOD=ab\nPEXP=3\n");
    assertThatThrownBy(() -> AdminKeyFile.read(f)).hasMessageContaining("more than one MOD=");
    Files.write(f, new byte[AdminKeyFile.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> AdminKeyFile.read(f)).hasMessageContaining("larger than");
    assertThatThrownBy(() -> AdminKeyFile.read(dir.resolve("missing.key")))
        .isInstanceOf(KeyFileException.class).hasMessageContaining("missing.key");
  }

  @Test
  void theCryptoUserCredentialFileIsOwnerOnlyAndDeletedOnClose() throws Exception {
    RSAPublicKey key = StandInHsm.newKey(2048);
    String pem = RsaKeys.toPkcs1Pem(key);
    CryptoUserCredential user = new CryptoUserCredential("kmsuser", pem, 7);
    assertThat(user.attributes()).isEqualTo("CXI_GROUP=SLOT_0007");
    assertThat(user.credHash()).hasSize(64).matches("[0-9a-f]+");
    assertThat(user.fileContent()).isEqualTo("# RSA key\nMOD="
        + key.getModulus().toString(16).toUpperCase(java.util.Locale.ROOT) + "\nPEXP=010001\n");
    Path written;
    try (CryptoUserCredential.TemporaryFile f = user.writeTemporaryFile(dir)) {
      written = f.file();
      assertThat(f.credentialArgument()).isEqualTo(written + "#");
      assertThat(Files.readString(written)).isEqualTo(user.fileContent());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
          .isEqualTo("rw-------");
    }
    assertThat(written).doesNotExist();
  }

  @Test
  void theCredHashIsOfTheTextExactlyAsReceived() {
    String pem = RsaKeys.toPkcs1Pem(StandInHsm.newKey(2048));
    assertThat(new CryptoUserCredential("u", pem, 1).credHash())
        .isNotEqualTo(new CryptoUserCredential("u", pem.replace("\n", "\r\n"), 1).credHash());
  }

  @Test
  void aCredentialFolderWithHashIsRefused() throws Exception {
    Path hashDir = Files.createDirectories(dir.resolve("a#b"));
    CryptoUserCredential user = new CryptoUserCredential("u",
        RsaKeys.toPkcs1Pem(StandInHsm.newKey(2048)), 1);
    assertThatThrownBy(() -> user.writeTemporaryFile(hashDir))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'#'");
  }
}
