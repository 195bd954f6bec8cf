package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineCommandsTest {
  @TempDir Path dir;

  private CliRunner kpd() {
    return new CliRunner(dir);
  }

  @Test
  void sigKeyGenerateWritesAProtectedKeyFileOnlyTheOwnerCanRead() throws Exception {
    CliRunner.Result r = kpd().run("sig-key", "generate", "--file", "admin.p12",
        "--passphrase", "pass#word one");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("protected by a passphrase").doesNotContain("pass#word one");
    Path file = dir.resolve("admin.p12");
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    try (Passphrase p = Passphrase.of("pass#word one");
        AdminIdentity loaded = AdminIdentity.load(file, p)) {
      assertThat(loaded.name()).isEqualTo("admin");
      assertThat(loaded.rsaBits()).isEqualTo(2048);
    }
  }

  @Test
  void sigKeyGenerateAsksTwiceForThePassphraseInATerminal() throws Exception {
    CliRunner.Result r = kpd().answering("typed secret", "typed secret")
        .run("sig-key", "generate", "--file", "admin.p12", "--algo", "RSA-3072");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
    try (Passphrase p = Passphrase.of("typed secret");
        AdminIdentity loaded = AdminIdentity.load(dir.resolve("admin.p12"), p)) {
      assertThat(loaded.rsaBits()).isEqualTo(3072);
    }
  }

  @Test
  void sigKeyGenerateRefusesTwoDifferentTypedPassphrasesAndWritesNothing() {
    CliRunner.Result r = kpd().answering("typed secret", "typed secreT")
        .run("sig-key", "generate", "--file", "admin.p12");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("differ");
    assertThat(dir.resolve("admin.p12")).doesNotExist();
  }

  @Test
  void sigKeyGenerateReadsThePassphraseFromAnEnvironmentVariable() throws Exception {
    CliRunner kpd = kpd();
    kpd.env.put("ADMIN_PASS", "from the env");
    CliRunner.Result r = kpd.run("sig-key", "generate", "--file", "admin.p12",
        "--passphrase-env", "ADMIN_PASS");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
    try (Passphrase p = Passphrase.of("from the env");
        AdminIdentity loaded = AdminIdentity.load(dir.resolve("admin.p12"), p)) {
      assertThat(loaded.name()).isEqualTo("admin");
    }
  }

  @Test
  void sigKeyGenerateSavesWithoutPassphraseOnlyWithTheExplicitFlag() throws Exception {
    CliRunner.Result refused = kpd().run("sig-key", "generate", "--file", "admin.p12");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.errLines()).singleElement().asString().contains("--unprotected");
    assertThat(dir.resolve("admin.p12")).doesNotExist();

    CliRunner.Result r = kpd().run("sig-key", "generate", "--file", "admin.p12", "--unprotected");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("UNPROTECTED");
    try (AdminIdentity loaded = AdminIdentity.load(dir.resolve("admin.p12"), null)) {
      assertThat(loaded.name()).isEqualTo("admin");
    }
  }

  @Test
  void sigKeyGenerateNeverOverwritesAnExistingFile() throws Exception {
    Files.writeString(dir.resolve("admin.p12"), "precious");
    Map<String, String> before = DirSnapshot.of(dir);

    CliRunner.Result r = kpd().run("sig-key", "generate", "--file", "admin.p12",
        "--passphrase", "some passphrase");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("already exists");
    assertThat(DirSnapshot.of(dir)).isEqualTo(before);
  }

  @Test
  void sigKeyGenerateRejectsAnUnknownAlgorithm() {
    CliRunner.Result r = kpd().run("sig-key", "generate", "--file", "admin.p12",
        "--passphrase", "some passphrase", "--algo", "EC-256");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("RSA-2048");
    assertThat(dir.resolve("admin.p12")).doesNotExist();
  }

  @Test
  void mkGenerateWritesKeysharesThatMkVerifyRebuilds() throws Exception {
    CliRunner.Result gen = kpd().run("mk", "generate",
        "--keyshare-files", "[\"s1.json#first#secret\",\"s2.json#second secret\","
            + "\"s3.json#third secret\"]",
        "--keyshare-minimum", "2", "--algo", "AES-256", "--key-name", "mk1");

    assertThat(gen.exitCode()).isEqualTo(ExitCodes.OK);
    String kcv = gen.out().replaceAll("(?s).*key check value ([0-9A-F]{10}).*", "$1");
    assertThat(kcv).matches("[0-9A-F]{10}");
    for (String f : List.of("s1.json", "s2.json", "s3.json")) {
      assertThat(Files.getPosixFilePermissions(dir.resolve(f)))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE);
    }

    CliRunner.Result verify = kpd().run("mk", "verify",
        "--keyshare-files", "[\"s1.json#first#secret\",\"s3.json#third secret\"]");
    assertThat(verify.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(verify.out()).contains("Key check value: " + kcv).contains("2 of 3");
    assertThat(verify.all()).doesNotContain("secret");

    // The first '#' splits: the passphrase of s1.json is "first#secret".
    try (Passphrase p1 = Passphrase.of("first#secret"); Passphrase p2 = Passphrase.of("second secret")) {
      assertThat(Keyshares.verify(List.of(new KeyshareLocation(dir.resolve("s1.json"), p1),
          new KeyshareLocation(dir.resolve("s2.json"), p2))).checkValue().hex()).isEqualTo(kcv);
    }
  }

  @Test
  void mkCommandsTakePassphrasesFromEnvironmentFilesAndThePassphrasesFile() throws Exception {
    Files.writeString(dir.resolve("p2.txt"), "second secret\n");
    Files.writeString(dir.resolve("passphrases.txt"), "# keyshares\ns3.json#third#secret\n");
    CliRunner kpd = kpd();
    kpd.env.put("KS1", "first secret");
    String files = "[{\"file\":\"s1.json\",\"passphraseEnv\":\"KS1\"},"
        + "{\"file\":\"s2.json\",\"passphraseFile\":\"p2.txt\"},\"s3.json\"]";

    CliRunner.Result gen = kpd.run("mk", "generate", "--keyshare-files", files,
        "--passphrases", "passphrases.txt", "--keyshare-minimum", "3", "--key-name", "mk1");
    assertThat(gen.exitCode()).as(gen.err()).isEqualTo(ExitCodes.OK);

    CliRunner.Result verify = kpd.run("mk", "verify", "--keyshare-files", files,
        "--passphrases", "passphrases.txt");
    assertThat(verify.exitCode()).as(verify.err()).isEqualTo(ExitCodes.OK);
    assertThat(verify.out()).contains("3 of 3");
  }

  @Test
  void mkGenerateAsksForEachPassphraseTwiceInATerminal() {
    CliRunner.Result gen = kpd().answering("first secret", "first secret", "second secret",
        "second secret").run("mk", "generate", "--keyshare-files", "[\"s1.json\",\"s2.json\"]",
        "--keyshare-minimum", "2", "--key-name", "mk1");

    assertThat(gen.exitCode()).as(gen.err()).isEqualTo(ExitCodes.OK);
    CliRunner.Result verify = kpd().run("mk", "verify",
        "--keyshare-files", "[\"s1.json#first secret\",\"s2.json#second secret\"]");
    assertThat(verify.exitCode()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void mkGenerateRefusesAMinimumAboveTheShareCountAndWritesNothing() {
    Map<String, String> before = DirSnapshot.of(dir);
    CliRunner.Result r = kpd().run("mk", "generate",
        "--keyshare-files", "[\"s1.json#first secret\",\"s2.json#second secret\"]",
        "--keyshare-minimum", "3", "--key-name", "mk1");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString()
        .contains("--keyshare-minimum is 3 but must be 2 (--keyshare-files names 2 files)");
    assertThat(DirSnapshot.of(dir)).isEqualTo(before);
  }

  @Test
  void mkGenerateRefusesAnExistingKeyshareFileAndWritesNoneOfTheOthers() throws Exception {
    Files.writeString(dir.resolve("s2.json"), "an older share");
    Map<String, String> before = DirSnapshot.of(dir);

    CliRunner.Result r = kpd().run("mk", "generate",
        "--keyshare-files", "[\"s1.json#first secret\",\"s2.json#second secret\"]",
        "--keyshare-minimum", "2", "--key-name", "mk1");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("s2.json already exists");
    assertThat(DirSnapshot.of(dir)).isEqualTo(before);
  }

  @Test
  void mkGenerateRefusesAKeyNameLongerThanEightCharacters() {
    CliRunner.Result r = kpd().run("mk", "generate",
        "--keyshare-files", "[\"s1.json#first secret\",\"s2.json#second secret\"]",
        "--keyshare-minimum", "2", "--key-name", "muchtoolong");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(dir.resolve("s1.json")).doesNotExist();
  }

  @Test
  void mkVerifyReportsAWrongPassphraseInOneLineWithoutTheSecret() {
    kpd().run("mk", "generate", "--keyshare-files",
        "[\"s1.json#first secret\",\"s2.json#second secret\"]", "--keyshare-minimum", "2",
        "--key-name", "mk1");
    Map<String, String> before = DirSnapshot.of(dir);

    CliRunner.Result r = kpd().run("mk", "verify",
        "--keyshare-files", "[\"s1.json#first secret\",\"s2.json#not the secret\"]");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString()
        .contains("passphrase does not open").contains("s2.json");
    assertThat(r.all()).doesNotContain("not the secret").doesNotContain("first secret");
    assertThat(DirSnapshot.of(dir)).isEqualTo(before);
  }

  @Test
  void mkVerifyReportsAMissingFileInOneLine() {
    CliRunner.Result r = kpd().run("mk", "verify",
        "--keyshare-files", "[\"s1.json#first secret\",\"gone.json#second secret\"]");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("does not exist");
  }

  @Test
  void badJsonIsReportedWithoutEchoingThePassphrases() {
    CliRunner.Result r = kpd().run("mk", "verify",
        "--keyshare-files", "[\"s1.json#hidden secret\", oops]");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("not valid JSON");
    assertThat(r.all()).doesNotContain("hidden secret");
  }

  @Test
  void misspelledOptionsAreReportedWithoutEchoingThePassphrases() {
    CliRunner.Result r = kpd().run("sig-key", "generate", "--file", "admin.p12",
        "--passphrase", "hidden secret", "stray#other secret");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("see 'kpd sig-key generate --help'");
    assertThat(r.all()).doesNotContain("hidden secret").doesNotContain("other secret");
  }

  @Test
  void aMisspelledPassphraseOptionIsNamedButItsValueIsNeverEchoed() {
    CliRunner.Result r = kpd().run("claim", "--credential", "admin.p12",
        "--pasphrase", "hidden secret", "--target-addr=http://127.0.0.1:1");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString()
        .contains("unknown option '--pasphrase'", "1 unexpected argument", "--passphrase",
            "see 'kpd claim --help'");
    assertThat(r.all()).doesNotContain("hidden secret");
  }

  @Test
  void verboseAddsTheStackTraceAfterTheErrorLine() {
    CliRunner.Result r = kpd().run("mk", "verify", "--verbose",
        "--keyshare-files", "[\"s1.json#first secret\",\"gone.json#second secret\"]");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines().get(0)).startsWith("error: ");
    assertThat(r.err()).contains("\tat io.kpdedicated.");
  }

  @Test
  void passphrasesOutsideTheAllowedLengthAreRefused() {
    CliRunner.Result r = kpd().run("sig-key", "generate", "--file", "admin.p12",
        "--passphrase", "short");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("6 to 255 characters");
    assertThat(Set.copyOf(DirSnapshot.of(dir).keySet())).containsOnly("/");
  }
}
