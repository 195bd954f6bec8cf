package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.crypto.RsaKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The limits of the values handed to IBM's library, each bound tested on both sides, and the
 * promise that no secret shows in their {@code toString()}.
 */
class NativeValuesTest {
  private static final String PEM = RsaKeys.toPkcs1Pem(StandInHsm.newKey(2048));
  private static final Path KEY = Path.of("/keys/admin.key");

  // ---------------------------------------------------------------- session parameters

  @Test
  void thePortIsOneTo65535() {
    for (int bad : new int[] {0, 65536}) {
      assertThatThrownBy(() -> new SessionParameters("https://h", bad, "i", "u", "ADMIN", KEY,
          null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    }
    assertThat(new SessionParameters("https://h", 1, "i", "u", "ADMIN", KEY, null).port())
        .isEqualTo(1);
    assertThat(new SessionParameters("https://h", 65535, "i", "u", "ADMIN", KEY, null).port())
        .isEqualTo(65535);
  }

  @Test
  void theEndpointCarriesItsScheme() {
    assertThatThrownBy(() -> SessionParameters.of("h.example", "i", "u", KEY, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme");
    assertThat(SessionParameters.of("http://127.0.0.1:8443", "i", "u", KEY, null).endpoint())
        .isEqualTo("http://127.0.0.1:8443");
  }

  @Test
  void sessionParametersShowNoPassphrase() {
    String withPass = SessionParameters.of("https://h", "inst", "unit-1", KEY,
        Passphrase.of("admin-pass-1")).toString();
    assertThat(withPass).contains("https://h", "inst", "unit-1", KEY.toString(),
        "adminPassphrase=***").doesNotContain("admin-pass-1");
    assertThat(SessionParameters.of("https://h", "inst", "unit-1", KEY, null).toString())
        .contains("adminPassphrase=none");
  }

  // ---------------------------------------------------------------- headers

  @Test
  void headerValuesUpTo8192CharactersAreCarried() {
    NativeHeaders h = NativeHeaders.builder().add("A", "x".repeat(8192)).add("B", "").build();
    assertThat(h.isEmpty()).isFalse();
    assertThatThrownBy(() -> NativeHeaders.builder().add("A", "x".repeat(8193)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header A");
    for (String bad : List.of("%", "a%", "\0", "a\0", "\n", "a\n", "\r", "a\r")) {
      assertThatThrownBy(() -> NativeHeaders.builder().add("A", bad))
          .as("%s", bad.chars().boxed().toList())
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void noHeadersIsEmptyAndEncodesAsNull() {
    assertThat(NativeHeaders.none().isEmpty()).isTrue();
    assertThat(NativeHeaders.builder().build().isEmpty()).isTrue();
    assertThat(NativeHeaders.none().encode()).isNull();
  }

  @Test
  void headersShowEveryNameButNotTheToken() {
    NativeHeaders h = NativeHeaders.forCommand("tok123", "inst", "req-1", "corr-1");
    assertThat(h.toString()).startsWith("NativeHeaders[Authorization=***, ")
        .contains("Instance-ID=inst", "X-Request-ID=req-1", "X-Correlation-ID=corr-1")
        .doesNotContain("tok123").endsWith("]");
    assertThat(NativeHeaders.builder().add("A", "1").build().toString())
        .isEqualTo("NativeHeaders[A=1]");
    assertThat(NativeHeaders.none().toString()).isEqualTo("NativeHeaders[]");
  }

  // ---------------------------------------------------------------- crypto user

  @Test
  void theSlotIsZeroTo9999() {
    assertThat(new CryptoUserCredential("u", PEM, 0).attributes()).isEqualTo("CXI_GROUP=SLOT_0000");
    assertThat(new CryptoUserCredential("u", PEM, 9999).attributes())
        .isEqualTo("CXI_GROUP=SLOT_9999");
    for (int bad : new int[] {-1, 10000}) {
      assertThatThrownBy(() -> new CryptoUserCredential("u", PEM, bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slotId");
    }
  }

  @Test
  void theUserNameHasOneTo255Characters() {
    assertThat(new CryptoUserCredential("u".repeat(255), PEM, 1).userName()).hasSize(255);
    for (String bad : List.of("", " ", "u".repeat(256))) {
      assertThatThrownBy(() -> new CryptoUserCredential(bad, PEM, 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userName");
    }
  }

  @Test
  void aFolderWithAHashCannotCarryTheCredentialArgument() {
    CryptoUserCredential c = new CryptoUserCredential("u", PEM, 1);
    assertThatThrownBy(() -> c.writeTemporaryFile(Path.of("/tmp/a#b")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contains '#'");
  }

  // ---------------------------------------------------------------- statuses

  @Test
  void aStatusIsAnUnsigned32BitValue() {
    assertThat(new StatusCode(0).isSuccess()).isTrue();
    assertThat(new StatusCode(0xFFFFFFFFL).hex()).isEqualTo("0xFFFFFFFF");
    assertThatThrownBy(() -> new StatusCode(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StatusCode(0x100000000L))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void knownCodesAreKnownAndOthersAreNot() {
    assertThat(new StatusCode(0xC7000C01L).isKnown()).isTrue();
    assertThat(new StatusCode(0xC70000FFL).isKnown()).isFalse();
  }

  @Test
  void retryabilityComesFromTheCodeThenFromItsFamily() {
    assertThat(new StatusCode(0xB1B3C350L).retryable()).as("internal error").isTrue();
    assertThat(new StatusCode(0xB9032006L).retryable()).as("TLS handshake").isFalse();
    assertThat(new StatusCode(0xC70001FFL).retryable()).as("unknown connection").isTrue();
    assertThat(new StatusCode(0xC70000FFL).retryable()).as("unknown basic").isFalse();
  }

  @Test
  void familiesWithoutAKnownRemediationGetTheirFamilysAdvice() {
    assertThat(new StatusCode(0xB906100FL).remediation(NativeCall.IMPORT_MASTER_KEY))
        .hasValueSatisfying(r -> assertThat(r).contains("key file exists"));
    assertThat(new StatusCode(0x00000008L).remediation(NativeCall.LIST_USERS))
        .hasValueSatisfying(r -> assertThat(r).contains("IAM token"));
    assertThat(new StatusCode(0xC70001FFL).remediation(NativeCall.LIST_USERS))
        .hasValueSatisfying(r -> assertThat(r).contains("port 443"));
    assertThat(new StatusCode(0xC70000FFL).remediation(NativeCall.LIST_USERS)).isEmpty();
  }

  // ---------------------------------------------------------------- other values

  @Test
  void onlyLinuxNeedsThePreload() {
    for (NativePlatform p : NativePlatform.values()) {
      assertThat(p.needsPreload()).as("%s", p).isEqualTo(p == NativePlatform.LINUX_AMD64);
    }
  }

  @Test
  void aLibraryExceptionKeepsEveryPlaceTried() {
    NativeLibraryException e = new NativeLibraryException(NativeLibraryException.Reason.values()[0],
        "m", "r", List.of("/a (x)", "/b (y)"), null);
    assertThat(e.placesTried()).containsExactly("/a (x)", "/b (y)");
  }

  @Test
  void anUnexpectedLineIsShownPrintableAndShortened() {
    UnexpectedAnswerException shortLine = new UnexpectedAnswerException(NativeCall.LIST_USERS,
        "unit-1", "bad row", "a\u0001b\tc");
    assertThat(shortLine.rawLine()).contains("a?b\tc");
    assertThat(shortLine.getMessage()).isEqualTo(
        "unexpected answer from ListUsersC on unit unit-1: bad row: \"a?b\tc\"");
    String exact = "x".repeat(UnexpectedAnswerException.MAX_RAW_LINE);
    assertThat(UnexpectedAnswerException.printable(exact)).isEqualTo(exact);
    assertThat(UnexpectedAnswerException.printable(exact + "y")).isEqualTo(exact + "...");
    assertThat(new UnexpectedAnswerException(NativeCall.LIST_USERS, null, "empty", null)
        .getMessage()).isEqualTo("unexpected answer from ListUsersC: empty");
  }

  @Test
  void noSecretShowsInToString() {
    Passphrase pass = Passphrase.of("share-pass-1");
    assertThat(new ShareFile(Path.of("/s/1"), pass).toString())
        .isEqualTo("ShareFile[file=/s/1, passphrase=***]");
    assertThat(new NativeCredential(KEY, pass, PEM, IdentityAction.LOAD, "d").toString())
        .isEqualTo("NativeCredential[LOAD, " + KEY + "]");
    assertThat(new SessionTokenRefresher.ExpiringToken("tok123", Instant.EPOCH).toString())
        .isEqualTo("ExpiringToken[accessToken=***, expiresAt=1970-01-01T00:00:00Z]");
    assertThat(SessionTokenRefresher.of(() -> "tok123").toString())
        .isEqualTo("SessionTokenRefresher[provider]");
    assertThat(SessionTokenRefresher.of(() -> null, Clock.systemUTC(), Duration.ofMinutes(2))
        .toString()).isEqualTo("SessionTokenRefresher[margin=PT2M]");
  }

  @Test
  void wipingZeroesCharsAndBytesAndToleratesNull() {
    char[] chars = "secret".toCharArray();
    byte[] bytes = {1, 2, 3};
    NativeHsm.wipe(chars);
    NativeHsm.wipe(bytes);
    NativeHsm.wipe((char[]) null);
    NativeHsm.wipe((byte[]) null);
    assertThat(chars).containsOnly('\0');
    assertThat(bytes).containsOnly(0);
  }

  @Test
  void secretsToWipeSkipMissingOnes() {
    char[] a = {'a'};
    char[] b = {'b'};
    assertThat(NativeHsm.secrets(a, null, b)).containsExactly(a, b);
  }

  @Test
  void aProvidersTokenMustBeBare() {
    assertThatThrownBy(() -> SessionTokenRefresher.of(() -> "Bearer x").accessToken())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SessionTokenRefresher.of(() -> "tok").accessToken()).isEqualTo("tok");
  }
}
