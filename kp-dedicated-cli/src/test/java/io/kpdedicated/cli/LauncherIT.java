package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kpd} launcher script as users run it, with the shaded {@code kpd.jar} of this build
 * next to it (an integration test: it runs after {@code package}). Each test copies both into a
 * temporary folder and runs them with their own class-archive cache folder.
 */
class LauncherIT {
  private static final Path TARGET = Path.of("target");
  private static final long TIMEOUT_SECONDS = 240;

  @TempDir Path dir;
  private Path bin;
  private Path cache;

  @BeforeEach
  void copyLauncherAndJar() throws IOException {
    assumeTrue(Files.isRegularFile(Path.of("/bin/sh")), "the launcher is a POSIX sh script");
    bin = Files.createDirectory(dir.resolve("bin"));
    Files.copy(TARGET.resolve("kpd"), bin.resolve("kpd"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(TARGET.resolve("kpd.jar"), bin.resolve("kpd.jar"));
    cache = dir.resolve("cache");
  }

  @Test
  void cdsMakeBuildsTheArchiveAndLaterRunsLoadKpdsClassesFromIt() throws Exception {
    Run made = run(Map.of("KPD_CDS", "make"), "--version");
    assertThat(made.code).as(made.output).isZero();
    assertThat(made.output).startsWith("kpd ");
    List<Path> archives = cacheFiles();
    assertThat(archives).as("the cache holds exactly one archive and nothing left from training")
        .singleElement().satisfies(p -> assertThat(p.getFileName().toString())
            .startsWith("kpd-").endsWith(".jsa"));
    assertThat(Files.size(archives.get(0))).isGreaterThan(1_000_000L);

    Path classLog = dir.resolve("classes.log");
    Run init = run(Map.of("KPD_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog),
        "init", "--out", dir.resolve("out").toString());
    assertThat(init.code).as(init.output).isZero();
    assertThat(init.output).contains("are kms-initialized with master key check value");
    assertThat(Files.readString(classLog))
        .as("kpd's own classes come from the archive, not from the jar")
        .contains("io.kpdedicated.cli.Kpd source: shared objects file")
        .doesNotContain("io.kpdedicated.cli.Kpd source: jar");
    assertThat(cacheFiles()).isEqualTo(archives);
  }

  @Test
  void cdsOffNeitherMakesNorUsesAnArchive() throws Exception {
    Run init = run(Map.of("KPD_CDS", "off"), "init", "--out", dir.resolve("out").toString());
    assertThat(init.code).as(init.output).isZero();
    assertThat(cache).doesNotExist();
  }

  @Test
  void versionAndHelpNeverTrain() throws Exception {
    Run version = run(Map.of(), "--version");
    assertThat(version.code).as(version.output).isZero();
    Run help = run(Map.of(), "--help");
    assertThat(help.code).as(help.output).isZero();
    assertThat(cache).doesNotExist();
  }

  @Test
  void aMissingJarIsNamedWithTheBuildCommand() throws Exception {
    Files.delete(bin.resolve("kpd.jar"));
    Run run = run(Map.of(), "--version");
    assertThat(run.code).isEqualTo(2);
    assertThat(run.output).contains("no kpd.jar next to this script", "mvn -B -q package");
  }

  @Test
  void theExitCodeIsKpds() throws Exception {
    Run run = run(Map.of("KPD_CDS", "off"), "no-such-command");
    assertThat(run.code).as(run.output).isEqualTo(ExitCodes.BAD_INPUT);
  }

  private List<Path> cacheFiles() throws IOException {
    try (Stream<Path> files = Files.list(cache.resolve("kpd"))) {
      return files.sorted().toList();
    }
  }

  private Run run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(bin.resolve("kpd").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    for (String name : List.of(Env.API_KEY, Env.INSTANCE_ID, Env.TARGET_ADDR, Env.IAM_ENDPOINT,
        Env.IAM_API_ENDPOINT, Env.RC_ENDPOINT, "KPD_CDS",
        "KPD_JAVA_OPTS", "JAVA")) {
      e.remove(name);
    }
    e.put("XDG_CACHE_HOME", cache.toString());
    e.put("JAVA_HOME", System.getProperty("java.home"));
    e.putAll(env);
    Process process = pb.start();
    process.getOutputStream().close();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as(output).isTrue();
    return new Run(process.exitValue(), output);
  }

  private record Run(int code, String output) {}
}
