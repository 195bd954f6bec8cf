package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A run builds only the command it runs; help, completion and errors see every command. */
class LazyTreeTest {
  @TempDir Path dir;

  @Test
  void aRunBuildsOnlyTheCommandItNames() {
    assertThat(Kpd.needed("--version")).isEmpty();
    assertThat(Kpd.needed("--verbose", "-V")).isEmpty();
    assertThat(Kpd.needed("mk", "verify", "--keyshare-files", "[]")).containsExactly("mk");
    assertThat(Kpd.needed("--verbose", "init")).containsExactly("init");
    assertThat(Kpd.needed()).contains("init", "mk", Kpd.COMPLETION);
    assertThat(Kpd.needed("--help")).contains("init", "zeroize");
    assertThat(Kpd.needed("frobnicate")).contains("init", "zeroize");
    assertThat(Kpd.needed(Kpd.COMPLETION)).contains("init", "zeroize");

    CommandLine single = Kpd.commandLine(CliContext.builder()
        .out(new PrintWriter(new StringWriter())).build(), "claim", "--help");
    assertThat(single.getSubcommands()).containsOnlyKeys("claim");
  }

  @Test
  void versionAndTypoSuggestionsWorkWithTheSmallTree() {
    CliRunner.Result version = new CliRunner(dir).run("--version");
    CliRunner.Result typo = new CliRunner(dir).run("inti");

    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("kpd ");
    assertThat(typo.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(typo.err()).contains("init");
  }
}
