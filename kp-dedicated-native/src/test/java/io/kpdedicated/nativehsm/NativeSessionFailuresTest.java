package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each session call reports the library's status as a failure, and each limit holds on its own. */
class NativeSessionFailuresTest extends StandInTestBase {
  private static final String ENDPOINT = "https://0f1e2d3c.api.us-south.kms.appdomain.cloud";
  private static final String INSTANCE = "0f1e2d3c-aaaa-bbbb-cccc-0123456789ab";
  private static final String UNIT = "unit-1";

  @TempDir Path dir;

  private NativeHsm hsm;
  private Path keyFile;

  @BeforeEach
  void setUp() throws Exception {
    hsm = new NativeHsm(library(), true);
    standIn.addUnit(UNIT);
    keyFile = dir.resolve("admin.key");
    Files.writeString(keyFile, "placeholder");
  }

  private NativeSession open() {
    return hsm.openSession(
        SessionParameters.of(ENDPOINT, INSTANCE, UNIT, keyFile, Passphrase.of("admin-pass-1")),
        "tok123");
  }

  private List<ShareFile> shares(int n) {
    return IntStream.rangeClosed(1, n)
        .mapToObj(i -> new ShareFile(dir.resolve("share-" + i), Passphrase.of("share-pass-" + i)))
        .toList();
  }

  private static void assertStatus(NativeHsmException e, NativeCall call, long status) {
    assertThat(e.call()).isEqualTo(call);
    assertThat(e.status()).contains(new StatusCode(status));
    assertThat(e.unitId()).contains(UNIT);
  }

  @Test
  void aFailedUserListIsTheLibrarysStatus() {
    standIn.fail("ListUsersC", 1, 0xC7000302L, "insufficient permissions");
    try (NativeSession s = open()) {
      assertStatus(catchThrowableOfType(NativeHsmException.class, s::listUsers),
          NativeCall.LIST_USERS, 0xC7000302L);
    }
  }

  @Test
  void aFailedGenerationIsTheLibrarysStatus() {
    standIn.fail("GenerateMBKC", 1, 0xB1B3C350L, "internal error");
    try (NativeSession s = open()) {
      assertStatus(catchThrowableOfType(NativeHsmException.class,
          () -> s.generateMasterKey(shares(2), 2, "KPMK", NativeHeaders.none())),
          NativeCall.GENERATE_MASTER_KEY, 0xB1B3C350L);
    }
  }

  @Test
  void aFailedUnitIdReadIsTheLibrarysStatus() {
    standIn.fail("GetCryptoUnitIDC", 1, 0xC7000600L, "invalid session");
    try (NativeSession s = open()) {
      assertStatus(catchThrowableOfType(NativeHsmException.class, s::cryptoUnitId),
          NativeCall.GET_CRYPTO_UNIT_ID, 0xC7000600L);
    }
  }

  @Test
  void aUnitIdOfUpTo128CharactersIsAccepted() {
    try (NativeSession s = open()) {
      standIn.answer("GetCryptoUnitIDC", " " + "u".repeat(128) + "\n");
      assertThat(s.cryptoUnitId()).isEqualTo("u".repeat(128));
      standIn.answer("GetCryptoUnitIDC", "u".repeat(129));
      assertThatThrownBy(s::cryptoUnitId).isInstanceOf(UnexpectedAnswerException.class);
      standIn.answer("GetCryptoUnitIDC", "  \n");
      assertThatThrownBy(s::cryptoUnitId).isInstanceOf(UnexpectedAnswerException.class);
    }
  }

  @Test
  void theThresholdMayEqualTheNumberOfSharesButNotExceedIt() {
    try (NativeSession s = open()) {
      assertThatThrownBy(() -> s.generateMasterKey(shares(2), 3, "KPMK", NativeHeaders.none()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
      assertThatThrownBy(() -> s.generateMasterKey(shares(2), 1, "KPMK", NativeHeaders.none()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
      assertThatThrownBy(() -> s.generateMasterKey(shares(1), 2, "KPMK", NativeHeaders.none()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share files");
      assertThat(standIn.calls("GenerateMBKC")).isEmpty();
      s.generateMasterKey(shares(3), 3, "KPMK", NativeHeaders.none());
    }
    assertThat(standIn.onlyCall("GenerateMBKC").numbers()).containsExactly(32L, 3L, 3L);
  }

  @Test
  void aTokenWithItsPrefixIsRefusedBeforeTheLibrarySeesIt() {
    try (NativeSession s = open()) {
      assertThatThrownBy(() -> s.setToken("Bearer abc"))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(standIn.calls("SetTokenGetterC")).isEmpty();
  }

  @Test
  void aSessionIsClosedOnlyAfterClose() {
    NativeSession s = open();
    assertThat(s.isClosed()).isFalse();
    assertThat(s.toString()).contains(UNIT).doesNotContain("closed");
    s.close();
    assertThat(s.isClosed()).isTrue();
    assertThat(s.toString()).contains(UNIT, "closed");
  }

  @Test
  void aFailedCloseIsSwallowedAndNotRepeated() {
    standIn.fail("CloseSessionC", 1, 0xC7000103L, "connection closed");
    NativeSession s = open();
    s.close();
    s.close();
    assertThat(s.isClosed()).isTrue();
    assertThat(standIn.calls("CloseSessionC")).hasSize(1);
  }
}
