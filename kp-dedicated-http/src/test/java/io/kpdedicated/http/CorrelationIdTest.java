package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The correlation id goes into request headers: only one visible ASCII word fits there. */
class CorrelationIdTest {
  private static HttpTransport.Builder builder() {
    return HttpTransport.builder().tokenProvider(TokenProvider.of("tok"));
  }

  private static HttpTransport transport() {
    return builder().correlationId("run-1").build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", "run 2", "run\n2", "run\r2", "run\u007f", "run\u00e9",
      "run\u0000", " run", "run "})
  void refusesIdsThatAreNotOneVisibleAsciiWord(String id) {
    assertThatThrownBy(() -> builder().correlationId(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("correlationId must be 1-128 visible ASCII characters");
    assertThatThrownBy(() -> transport().withCorrelationId(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("correlationId must be 1-128 visible ASCII characters");
  }

  @Test
  void acceptsTheVisibleAsciiRangeUpTo128Characters() {
    String longest = "x".repeat(128);
    String edges = "!~";

    assertThat(builder().correlationId(longest).build().correlationId()).isEqualTo(longest);
    assertThat(transport().withCorrelationId(edges).correlationId()).isEqualTo(edges);
    assertThat(transport().withCorrelationId("a").correlationId()).isEqualTo("a");
  }

  @Test
  void refusesIdsLongerThan128Characters() {
    String tooLong = "x".repeat(129);

    assertThatThrownBy(() -> builder().correlationId(tooLong))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> transport().withCorrelationId(tooLong))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesANullIdNamingTheField() {
    assertThatThrownBy(() -> builder().correlationId(null))
        .isInstanceOf(NullPointerException.class).hasMessage("correlationId");
    assertThatThrownBy(() -> transport().withCorrelationId(null))
        .isInstanceOf(NullPointerException.class).hasMessage("correlationId");
  }

  @Test
  void aNewTransportGetsItsOwnRandomIdAndWithCorrelationIdLeavesTheOriginalAlone() {
    HttpTransport a = builder().build();
    HttpTransport b = builder().build();
    HttpTransport original = transport();

    HttpTransport renamed = original.withCorrelationId("run-2");

    assertThat(a.correlationId()).matches("[0-9a-f-]{36}").isNotEqualTo(b.correlationId());
    assertThat(original.correlationId()).isEqualTo("run-1");
    assertThat(renamed.correlationId()).isEqualTo("run-2");
    assertThat(renamed.toString()).isEqualTo("HttpTransport[correlationId=run-2]");
  }
}
