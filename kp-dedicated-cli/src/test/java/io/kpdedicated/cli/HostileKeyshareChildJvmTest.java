package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kpd mk verify} on crafted keyshare files that ask for gigabytes or minutes of key
 * derivation: a real {@code kpd} process with a 128 MiB heap exits 2 with a clear message, long
 * before the generous time limit (deriving would need 3.8 GB or about 15 minutes).
 */
class HostileKeyshareChildJvmTest {
  private static final Pattern KDF = Pattern.compile("\"kdf\" : \\{[^}]*}");

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "scrypt N=2^20 r=8 p=16|\"name\" : \"scrypt\", \"n\" : 1048576, \"r\" : 8, \"p\" : 16",
      "argon2id m=1 GiB t=64 p=16|\"name\" : \"argon2id\", \"memoryKiB\" : 1048576,"
          + " \"iterations\" : 64, \"parallelism\" : 16",
  })
  void mkVerifyRefusesTheCraftedFileFastInASmallHeap(String label, String kdf) throws Exception {
    CliRunner.Result gen = new CliRunner(dir).run("mk", "generate", "--keyshare-files",
        "[\"s1.json\",\"s2.json\"]", "--passphrases", write("pf", "s1.json#share one pass\n"
            + "s2.json#share two pass\n").toString(), "--keyshare-minimum", "2",
        "--key-name", "mk1");
    assertThat(gen.exitCode()).as(gen.all()).isZero();
    Path crafted = dir.resolve("s1.json");
    String json = Files.readString(crafted);
    Matcher m = KDF.matcher(json);
    assertThat(m.find()).isTrue();
    String old = m.group();
    String salt = field(old, "salt");
    String check = field(old, "passphraseCheck");
    Files.writeString(crafted, json.substring(0, m.start()) + "\"kdf\" : {" + kdf
        + ", \"salt\" : \"" + salt + "\", \"passphraseCheck\" : \"" + check + "\"}"
        + json.substring(m.end()));

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx128m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), Kpd.class.getName(),
        "mk", "verify", "--keyshare-files", "[\"s1.json\",\"s2.json\"]",
        "--passphrases", "pf")
        .directory(dir.toFile()).redirectErrorStream(true);
    Instant start = Instant.now();
    Process process = pb.start();
    process.getOutputStream().close();
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    boolean finished = process.waitFor(90, TimeUnit.SECONDS);
    Duration took = Duration.between(start, Instant.now());
    if (!finished) {
      process.destroyForcibly();
    }

    assertThat(finished).as("kpd ended within the limit: %s", out).isTrue();
    assertThat(process.exitValue()).as(out).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(out.strip().lines()).as(out).singleElement().asString()
        .startsWith("error: ").contains(crafted.toString()).contains("before deriving")
        .doesNotContain("OutOfMemoryError").doesNotContain("share one pass");
    assertThat(took).as("%s took %s", label, took).isLessThan(Duration.ofSeconds(60));
  }

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static String field(String kdf, String name) {
    Matcher m = Pattern.compile("\"" + name + "\" : \"([^\"]*)\"").matcher(kdf);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }
}
