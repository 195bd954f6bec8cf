package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void findsLiteralPassphrasesInEveryArgumentForm() {
    List<String> args = List.of("mk", "import", "--keyshare-files",
        "[\"a.json#one#two\",{\"file\":\"b.json\",\"passphrase\":\"three\"}]",
        "--auth", "[{\"ADMIN\":\"admin.p12#four\"}]", "--passphrase", "five", "--passphrase=six",
        "c.p12#seven");

    assertThat(Redactor.secrets(args))
        .contains("one#two", "three", "four", "five", "six", "seven");
    assertThat(Redactor.redact("saw one#two and five and seven", args))
        .isEqualTo("saw *** and *** and ***");
  }

  @Test
  void retryCommandKeepsTheArgumentsButDropsSecretsForceAndOldUnitIds() {
    List<String> args = List.of("mk", "import", "--keyshare-files",
        "[\"a.json#one\",{\"file\":\"b.json\",\"passphrase\":\"three\"},"
            + "{\"file\":\"c.json\",\"passphraseEnv\":\"KS3\"}]",
        "--auth", "[{\"ADMIN\":\"admin.p12#four\"}]", "--id", "u1", "--id=u2", "--force",
        "--passphrase", "five");

    String cmd = RetryCommand.forUnits(args, List.of("u2", "u 3"));

    assertThat(cmd).isEqualTo("kpd mk import --keyshare-files"
        + " '[\"a.json\",{\"file\":\"b.json\"},{\"file\":\"c.json\",\"passphraseEnv\":\"KS3\"}]'"
        + " --auth '[{\"ADMIN\":\"admin.p12\"}]' --id u2 --id 'u 3'");
  }

  @Test
  void fileWithPassphraseIsSplitAtTheFirstHash() {
    CliContext ctx = CliContext.builder().workingDirectory(java.nio.file.Path.of("/w")).build();

    SecretFile f = SecretArgs.parseEntry("dir/share.json#pa#ss", ctx, "--x");

    assertThat(f.file()).isEqualTo(java.nio.file.Path.of("/w/dir/share.json"));
    assertThat(((PassphraseSource.Literal) f.passphrase()).chars()).isEqualTo("pa#ss".toCharArray());
    assertThat(f.passphrase().toString()).doesNotContain("pa#ss");
  }
}
