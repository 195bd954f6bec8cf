package io.kpdedicated.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.crypto.KeyFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Library remediations reach the command line in kpd's words, never as Java API names. */
class CliWordsTest {
  /** A Java method call such as {@code loadPem(} or {@code AdminIdentitySource.load}. */
  private static final Pattern JAVA_API = Pattern.compile(
      "\\b[A-Z][A-Za-z]+\\.[a-z][A-Za-z]+\\b|\\b[a-z]+[A-Z][A-Za-z]*\\(");

  @Test
  void theLibrarysJavaWordsBecomeKpdFlags() {
    List<String> library = List.of(
        "Use the identity the unit was claimed with (AdminIdentitySource.load), or zeroize the"
            + " unit (this erases its master key) and run again to claim it with this identity.",
        "If this program runs inside IBM Cloud's private network, allow it with"
            + " allowPrivateEndpoint(true).",
        "file x.p12 is not a PKCS#12 file (it looks like PEM: load it with loadPem)",
        "Request 3 crypto units to use this instance, or choose another instance name.");

    for (String text : library) {
      String words = CliWords.of(text);
      assertThat(JAVA_API.matcher(words).find()).as(words).isFalse();
    }
    assertThat(CliWords.of(library.get(0))).contains("--credential");
    assertThat(CliWords.of(library.get(1))).contains("--allow-private-endpoint");
    assertThat(CliWords.of(library.get(3))).contains("--crypto-units 3");
    assertThat(CliWords.of(null)).isNull();
  }

  @Test
  void hostileAndWeakKeyFilesAreBadInputWithWhatToDoInKpdsWords() {
    Path file = Path.of("share.json");
    Failures.Report costly = Failures.describe(new KeyFileException(
        KeyFileException.Reason.TOO_COSTLY, file, "keyshare file share.json asks for too much",
        null));
    Failures.Report weak = Failures.describe(new KeyFileException(
        KeyFileException.Reason.WEAK_KEY, file, "an RSA-1024 key is too weak", null));

    assertThat(costly.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(costly.remediation()).contains("before deriving").contains("kpd mk generate");
    assertThat(weak.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(weak.remediation()).contains("kpd sig-key generate").contains("2048");
    assertThat(weak.line()).startsWith("an RSA-1024 key is too weak -- hint: ");
  }
}
