package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kpd generate-completion}: picocli's bash/zsh completion script for the whole tree. */
class CompletionTest {
  @TempDir Path dir;

  @Test
  void theScriptCompletesCommandsSubcommandsAndOptionsInBash() throws Exception {
    CliRunner.Result r = new CliRunner(dir).run("generate-completion");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("complete -F").contains("kpd");
    Path script = dir.resolve("kpd-completion.bash");
    Files.writeString(script, r.out());
    Path bash = Path.of("/bin/bash");
    assumeTrue(Files.isExecutable(bash), "bash is not installed");

    String commands = complete(bash, script, "kpd", "");
    String mk = complete(bash, script, "kpd mk", "");
    String initOptions = complete(bash, script, "kpd init", "--ou");

    assertThat(commands.split("\\s+")).contains("init", "plan", "mk", "claim", "crypto-units");
    assertThat(mk.split("\\s+")).contains("generate", "verify", "import");
    assertThat(initOptions.split("\\s+")).contains("--out", "--output");
  }

  /** Runs the completion function on {@code line} plus the word being typed; returns the words. */
  private String complete(Path bash, Path script, String line, String current) throws Exception {
    String words = "(" + line + " '" + current + "')";
    String program = "source " + script + "\n"
        + "COMP_WORDS=" + words + "\n"
        + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        + "COMP_LINE='" + line + " " + current + "'\n"
        + "COMP_POINT=${#COMP_LINE}\n"
        + "_complete_kpd\n"
        + "echo \"${COMPREPLY[*]}\"\n";
    // compopt complains on standard error outside a real completion; only the words matter.
    Process p = new ProcessBuilder(bash.toString(), "-c", program)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
