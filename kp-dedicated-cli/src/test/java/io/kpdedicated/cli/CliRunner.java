package io.kpdedicated.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs kpd in-process against a working directory, with captured output, a scripted terminal, an
 * environment of the test's choosing, cheap key-derivation costs and a sleeper that records instead
 * of sleeping.
 */
final class CliRunner {
  /** What one run produced. */
  record Result(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
    }

    String all() {
      return out + err;
    }
  }

  final Path dir;
  final Map<String, String> env = new HashMap<>();
  final Deque<String> answers = new ArrayDeque<>();
  final List<Duration> sleeps = new ArrayList<>();
  boolean interactive;
  TransportFactory transports = TransportFactory.http();
  EmbeddedCloud.Factory embedded = EmbeddedCloud.inMemory();
  Foreground foreground = onStop -> onStop.run();
  private volatile StringWriter lastOut = new StringWriter();

  CliRunner(Path dir) {
    this.dir = dir;
    env.put(KdfOption.ENV, "argon2id:m=64,t=1,p=1");
    env.put(Pkcs12Option.ENV, "10000");
  }

  /** Makes the terminal interactive and queues answers to its prompts. */
  CliRunner answering(String... lines) {
    interactive = true;
    answers.addAll(List.of(lines));
    return this;
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    lastOut = out;
    StringWriter err = new StringWriter();
    CliContext ctx = CliContext.builder()
        .env(env)
        .out(new PrintWriter(out, true))
        .err(new PrintWriter(err, true))
        .terminal(new ScriptedTerminal())
        .workingDirectory(dir)
        .sleeper(sleeps::add)
        .transports(transports)
        .embedded(embedded)
        .foreground(foreground)
        .build();
    int code = Kpd.execute(ctx, args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Returns what the latest (possibly still running) command has printed so far. */
  String lastOut() {
    return lastOut.toString();
  }

  private final class ScriptedTerminal implements Terminal {
    @Override
    public boolean interactive() {
      return interactive;
    }

    @Override
    public Optional<char[]> readSecret(String prompt) {
      String a = answers.poll();
      return a == null ? Optional.empty() : Optional.of(a.toCharArray());
    }

    @Override
    public Optional<String> readLine(String prompt) {
      return Optional.ofNullable(answers.poll());
    }
  }
}
