package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link TokenProvider#of}: one line of token, never shown. */
class FixedTokenProviderTest {

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a\nb", "a\rb", "\nb", "\rb"})
  void refusesATokenThatIsBlankOrSpansLines(String token) {
    assertThatThrownBy(() -> TokenProvider.of(token)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bearerToken must be one non-blank line");
  }

  @Test
  void handsOutTheSameTokenAndNeverShowsIt() {
    TokenProvider p = TokenProvider.of("fixed-secret");
    p.invalidate("fixed-secret");

    assertThat(p.token()).isEqualTo("fixed-secret");
    assertThat(p).hasToString("TokenProvider[fixed token, redacted]");
    assertThatThrownBy(() -> TokenProvider.of(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("bearerToken");
  }
}
