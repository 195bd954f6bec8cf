package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HelpTest {
  @TempDir Path dir;

  @Test
  void everyCommandAnswersHelpWithItsUsageAndTheExitCodes() {
    CommandLine root = Kpd.commandLine(CliContext.builder()
        .out(new PrintWriter(new StringWriter())).err(new PrintWriter(new StringWriter())).build());
    List<List<String>> paths = new ArrayList<>();
    collect(root, new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(10);

    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliRunner.Result r = new CliRunner(dir).run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args))
          .startsWith("Usage: kpd" + (path.isEmpty() ? "" : " " + String.join(" ", path)))
          .contains("Exit codes:");
      assertThat(r.err()).isEmpty();
    }
  }

  @Test
  void anUnknownCommandIsOneErrorLineWithExitCodeTwo() {
    CliRunner.Result r = new CliRunner(dir).run("frobnicate");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.errLines()).singleElement().asString().startsWith("error: ")
        .contains("kpd --help");
  }

  private static void collect(CommandLine cmd, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    cmd.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandSpec().name().equals(name)) {
        List<String> next = new ArrayList<>(path);
        next.add(name);
        collect(sub, next, out);
      }
    });
  }
}
