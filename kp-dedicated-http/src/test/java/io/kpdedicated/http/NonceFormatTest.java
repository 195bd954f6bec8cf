package io.kpdedicated.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.http.internal.Signing;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The nonce format lives in {@link SessionProtocol}; the SDK's own nonces fit it. */
class NonceFormatTest {
  private static final AdminSigner NO_KEY = new AdminSigner() {
    @Override
    public RSAPublicKey publicKey() {
      throw new UnsupportedOperationException();
    }

    @Override
    public byte[] sign(byte[] message) {
      return new byte[] {1};
    }
  };

  @Test
  void everyNonceTheSdkSendsIsWellFormed() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 500; i++) {
      String nonce = Signing.headers(NO_KEY, "POST", "/p", "u", new byte[0], Clock.systemUTC(), random)
          .get(SessionProtocol.HEADER_NONCE);

      assertThat(SessionProtocol.isWellFormedNonce(nonce)).as(nonce).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "!!!", "AAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAA AAAA", "AAAAAAAAAAAAAAAA+/==",
      "ÄAAAAAAAAAAAAAAAA"})
  void noncesOfAnotherShapeAreNot(String nonce) {
    assertThat(SessionProtocol.isWellFormedNonce(nonce)).isFalse();
  }

  @Test
  void theLengthLimitsHold() {
    assertThat(SessionProtocol.isWellFormedNonce("A".repeat(16))).isTrue();
    assertThat(SessionProtocol.isWellFormedNonce("0123456789abcdef".repeat(4))).isTrue();
    assertThat(SessionProtocol.isWellFormedNonce("A".repeat(65))).isFalse();
    assertThat(SessionProtocol.isWellFormedNonce("A".repeat(10_000))).isFalse();
    assertThat(SessionProtocol.isWellFormedNonce(null)).isFalse();
  }
}
