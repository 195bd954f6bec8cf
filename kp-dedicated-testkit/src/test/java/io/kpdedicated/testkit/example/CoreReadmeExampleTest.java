package io.kpdedicated.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The unit test printed in the core README is this module's {@link MyInitializationTest}. */
class CoreReadmeExampleTest {

  @Test
  void theCoreReadmeShowsTheCompiledExampleTestVerbatim() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/kpdedicated/testkit/example/"
        + "MyInitializationTest.java"), StandardCharsets.UTF_8);
    String readme = Files.readString(Path.of("../kp-dedicated-core/README.md"),
        StandardCharsets.UTF_8);
    String body = source.substring(source.indexOf("import "));
    assertThat(readme).contains(body);
  }
}
