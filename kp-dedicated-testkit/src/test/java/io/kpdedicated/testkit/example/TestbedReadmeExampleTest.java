package io.kpdedicated.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The three-line test printed in the testkit README is this module's {@link ThreeLineTestbedTest}. */
class TestbedReadmeExampleTest {

  @Test
  void theTestkitReadmeShowsTheCompiledThreeLineTestVerbatim() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/kpdedicated/testkit/example/"
        + "ThreeLineTestbedTest.java"), StandardCharsets.UTF_8);
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    String body = source.substring(source.indexOf("import "));

    assertThat(readme).contains("```java\n" + body + "```\n");
  }

  @Test
  void theTestInTheReadmeHasThreeStatements() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/kpdedicated/testkit/example/"
        + "ThreeLineTestbedTest.java"), StandardCharsets.UTF_8);
    String method = source.substring(source.indexOf("{\n", source.indexOf("void ")) + 2,
        source.lastIndexOf("  }\n}"));

    assertThat(method.lines()).hasSize(3).allMatch(line -> line.strip().endsWith(";"));
  }
}
