package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.jna.ptr.PointerByReference;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.crypto.RsaKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeHsmTest extends StandInTestBase {
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

  private static NativeHeaders headers() {
    return NativeHeaders.forCommand("tok123", INSTANCE, "req-1", "corr-1");
  }

  @Test
  void createSessionPassesEndpointPort443AdminTheKeyFileItsPassphraseAndTheBearerToken() {
    try (NativeSession s = open()) {
      assertThat(s.unitId()).isEqualTo(UNIT);
    }
    StandInHsm.Call c = standIn.onlyCall("CreateSessionC");
    assertThat(c.strings()).containsExactly(ENDPOINT, INSTANCE, UNIT, "ADMIN",
        keyFile.toAbsolutePath().toString(), "admin-pass-1", "Bearer tok123");
    assertThat(c.numbers()).containsExactly(443L);
    assertThat(standIn.onlyCall("CloseSessionC").handle()).isNotZero();
    assertThat(standIn.sessions()).isEmpty();
  }

  @Test
  void aKeyFileWithoutPassphrasePassesNull() {
    hsm.openSession(SessionParameters.of(ENDPOINT, INSTANCE, UNIT, keyFile, null), "tok").close();
    assertThat(standIn.onlyCall("CreateSessionC").str(5)).isNull();
  }

  @Test
  void noSessionIsARetryableFailureNamingUnitAndEndpoint() {
    standIn.fail("CreateSessionC", 1, 0, "ignored");
    NativeHsmException e = catchThrowableOfType(NativeHsmException.class, this::open);
    assertThat(e.call()).isEqualTo(NativeCall.CREATE_SESSION);
    assertThat(e.unitId()).contains(UNIT);
    assertThat(e.retryable()).isTrue();
    assertThat(e.status()).isEmpty();
    assertThat(e.getMessage()).contains(UNIT, ENDPOINT + ":443").doesNotContain("admin-pass-1");
  }

  @Test
  void setTokenSendsBearerToken() {
    try (NativeSession s = open()) {
      s.setToken("fresh-token");
    }
    assertThat(standIn.onlyCall("SetTokenGetterC").strings()).containsExactly("Bearer fresh-token");
  }

  @Test
  void aTokenWithItsPrefixOrWhitespaceIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> hsm.openSession(
        SessionParameters.of(ENDPOINT, INSTANCE, UNIT, keyFile, null), "Bearer x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(standIn.calls()).isEmpty();
  }

  @Test
  void listUsersParsesTheTableAndReleasesIt() {
    try (NativeSession s = open()) {
      assertThat(s.listUsers()).extracting(NativeUser::name).containsExactly("ADMIN");
    }
    assertThat(control().StandInAllocations()).isEqualTo(control().StandInFrees()).isPositive();
  }

  @Test
  void addCryptoUserSendsCredentialFileHashAttributesAndHeadersThenDeletesTheFile()
      throws Exception {
    String pem = RsaKeys.toPkcs1Pem(StandInHsm.newKey(2048));
    CryptoUserCredential user = new CryptoUserCredential("kms-crypto-user", pem, 68);
    try (NativeSession s = open()) {
      s.addCryptoUser(user, headers(), dir);
      assertThat(s.listUsers()).extracting(NativeUser::name)
          .containsExactly("ADMIN", "kms-crypto-user");
    }
    StandInHsm.Call c = standIn.onlyCall("AddUserC");
    assertThat(c.str(0)).isEqualTo("kms-crypto-user");
    assertThat(c.str(1)).isEqualTo("kmsCryptoUser");
    assertThat(c.str(2)).startsWith(dir.toAbsolutePath().toString()).endsWith("#");
    assertThat(c.credentialFileContent()).isEqualTo(user.fileContent())
        .startsWith("# RSA key\nMOD=").endsWith("\nPEXP=010001\n");
    assertThat(c.str(3)).isEqualTo(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(pem.getBytes(StandardCharsets.UTF_8))));
    assertThat(c.str(4)).isEqualTo("CXI_GROUP=SLOT_0068");
    assertThat(c.str(5)).isEqualTo("Authorization=Bearer tok123%Bluemix-Instance=" + INSTANCE
        + "%Instance-ID=" + INSTANCE + "%X-Request-ID=req-1%X-Correlation-ID=corr-1"
        + "%Correlation-Id=corr-1");
    assertThat(Path.of(c.str(2).substring(0, c.str(2).length() - 1))).doesNotExist();
  }

  @Test
  void anExistingUserIsTypedWithItsRemediationAndTheMessageIsReleased() throws Exception {
    String pem = RsaKeys.toPkcs1Pem(StandInHsm.newKey(2048));
    CryptoUserCredential user = new CryptoUserCredential("kms-crypto-user", pem, 68);
    try (NativeSession s = open()) {
      s.addCryptoUser(user, headers(), dir);
      NativeHsmException e = catchThrowableOfType(NativeHsmException.class,
          () -> s.addCryptoUser(user, headers(), dir));
      assertThat(e.code()).contains("0xC7000C01");
      assertThat(e.retryable()).isFalse();
      assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("exists"));
      assertThat(e.libraryMessage()).contains("user kms-crypto-user already exists");
    }
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(keyFile);
    }
  }

  @Test
  void generateMasterKeySendsKeyspecAesLengthCountsPaddedNameAndHeadersAndRestrictsShares()
      throws Exception {
    Path a = dir.resolve("share1.mbk");
    Path b = dir.resolve("share2.mbk");
    Path c3 = dir.resolve("share3.mbk");
    List<ShareFile> shares = List.of(new ShareFile(a, Passphrase.of("pass-one")),
        new ShareFile(b, Passphrase.of("pass-two")), new ShareFile(c3, Passphrase.of("pass-3!")));
    try (NativeSession s = open()) {
      s.generateMasterKey(shares, 2, "KPMK", headers());
      assertThat(s.listMasterKeys()).singleElement().satisfies(k -> {
        assertThat(k.name()).isEqualTo("KPMK");
        assertThat(k.checkValue()).isEqualTo("fdca29d11b2fff3b:caaf20ff34786279");
      });
    }
    StandInHsm.Call c = standIn.onlyCall("GenerateMBKC");
    assertThat(c.str(0)).isEqualTo(a + "#pass-one," + b + "#pass-two," + c3 + "#pass-3!");
    assertThat(c.str(1)).isEqualTo("AES");
    assertThat(c.str(2)).isEqualTo("KPMK    ");
    assertThat(c.str(3)).startsWith("Authorization=Bearer tok123%");
    assertThat(c.numbers()).containsExactly(32L, 3L, 2L);
    for (Path p : List.of(a, b, c3)) {
      assertThat(posix(p)).isEqualTo("rw-------");
    }
  }

  @Test
  void generateMasterKeyNeverOverwritesAShareFileAndMakesNoCall() throws Exception {
    Path a = dir.resolve("share1.mbk");
    Files.writeString(a, "older share");
    try (NativeSession s = open()) {
      assertThatThrownBy(() -> s.generateMasterKey(List.of(new ShareFile(a, Passphrase.of("p1p1p1")),
          new ShareFile(dir.resolve("s2"), Passphrase.of("p2p2p2"))), 2, "KPMK", headers()))
          .isInstanceOf(KeyFileException.class).hasMessageContaining(a.toString());
    }
    assertThat(standIn.calls("GenerateMBKC")).isEmpty();
    assertThat(Files.readString(a)).isEqualTo("older share");
  }

  @Test
  void aPassphraseWithHashIsRefusedBeforeAnyCallNamingTheFileNotThePassphrase() {
    Path a = dir.resolve("share1.mbk");
    try (NativeSession s = open()) {
      assertThatThrownBy(() -> s.generateMasterKey(List.of(
          new ShareFile(a, Passphrase.of("has#hash")),
          new ShareFile(dir.resolve("s2"), Passphrase.of("p2p2p2"))), 2, "KPMK", headers()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(a.toString()).hasMessageNotContaining("has#hash");
    }
    assertThat(standIn.calls("GenerateMBKC")).isEmpty();
  }

  @Test
  void importMasterKeySendsKeyspecSlot3AndHeaders() throws Exception {
    Path a = dir.resolve("s1");
    Path b = dir.resolve("s2");
    Files.writeString(a, "x");
    Files.writeString(b, "y");
    try (NativeSession s = open()) {
      s.importMasterKey(List.of(new ShareFile(a, Passphrase.of("pass-one")),
          new ShareFile(b, Passphrase.of("pass-two"))), NativeHeaders.none());
    }
    StandInHsm.Call c = standIn.onlyCall("ImportMBKC");
    assertThat(c.str(0)).isEqualTo(a + "#pass-one," + b + "#pass-two");
    assertThat(c.str(1)).as("empty headers pass NULL").isNull();
    assertThat(c.numbers()).containsExactly(3L);
  }

  @Test
  void aWrongSharePassphraseIsTypedAndTheLibraryMessageLosesThePassphrase() throws Exception {
    Path a = dir.resolve("s1");
    Files.writeString(a, "x");
    standIn.fail("ImportMBKC", 1, 0xB906100EL, "cannot decrypt " + a + "#pass-one: bad");
    try (NativeSession s = open()) {
      NativeHsmException e = catchThrowableOfType(NativeHsmException.class,
          () -> s.importMasterKey(List.of(new ShareFile(a, Passphrase.of("pass-one"))),
              headers()));
      assertThat(e.code()).contains("0xB906100E");
      assertThat(e.status().orElseThrow().family()).isEqualTo(StatusFamily.KEY_FILE);
      assertThat(e.retryable()).isFalse();
      assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("passphrase"));
      assertThat(e.getMessage()).contains("0xB906100E", UNIT, a + "#***")
          .doesNotContain("pass-one");
    }
  }

  @Test
  void unclaimedUnitAndConnectionFailuresAreTypedAndMessagesReleased() {
    standIn.fail("ListMBKKeysC", 1, 0xB1B39FC5L, "claim first");
    standIn.fail("ListMBKKeysC", 1, 0xC7000101L, "timeout");
    try (NativeSession s = open()) {
      NativeHsmException claim = catchThrowableOfType(NativeHsmException.class,
          s::listMasterKeys);
      assertThat(claim.retryable()).isFalse();
      assertThat(claim.remediation()).hasValueSatisfying(r -> assertThat(r).contains("claim"));
      NativeHsmException timeout = catchThrowableOfType(NativeHsmException.class,
          s::listMasterKeys);
      assertThat(timeout.retryable()).isTrue();
      assertThat(timeout.status().orElseThrow().family()).isEqualTo(StatusFamily.CONNECTION);
      assertThat(s.listMasterKeys()).isEmpty();
    }
  }

  @Test
  void garbageTablesAndBadBytesAreUnexpectedAnswersAndStillReleased() {
    standIn.answer("ListUsersC", "ADMIN 22000000 RSA sign Z[0]\n<html>proxy error</html>\n");
    try (NativeSession s = open()) {
      UnexpectedAnswerException e = catchThrowableOfType(UnexpectedAnswerException.class,
          s::listUsers);
      assertThat(e.rawLine()).contains("<html>proxy error</html>");
      standIn.answerRaw("ListUsersC", new byte[] {'A', (byte) 0xC3, (byte) 0x28});
      assertThatThrownBy(s::listUsers).isInstanceOf(UnexpectedAnswerException.class)
          .hasMessageContaining("not UTF-8");
      standIn.answerRaw("ListUsersC", "x".repeat(NativeHsm.MAX_ANSWER_BYTES + 1)
          .getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(s::listUsers).isInstanceOf(UnexpectedAnswerException.class)
          .hasMessageContaining("longer than");
    }
  }

  @Test
  void noResultStringIsAllowed() {
    standIn.fail("ListMBKKeysC", 1, 0xC7000100L, null);
    try (NativeSession s = open()) {
      assertThat(catchThrowableOfType(NativeHsmException.class, s::listMasterKeys)
          .libraryMessage()).isEmpty();
    }
  }

  @Test
  void cryptoUnitIdIsReadTrimmed() {
    try (NativeSession s = open()) {
      assertThat(s.cryptoUnitId()).isEqualTo(UNIT);
    }
  }

  @Test
  void aClosedSessionRefusesCallsAndClosesOnce() {
    NativeSession s = open();
    s.close();
    s.close();
    assertThat(standIn.calls("CloseSessionC")).hasSize(1);
    assertThatThrownBy(s::listUsers).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void generateAdminKeyWritesA2048BitKeyFileReadableByItsOwnerOnly() throws Exception {
    Path file = dir.resolve("new-admin.key");
    AdminKeyFile key = hsm.generateAdminKey(INSTANCE, file, "admin", Passphrase.of("admin-pass"));
    StandInHsm.Call c = standIn.onlyCall("GenerateRSAKeyC");
    assertThat(c.strings()).containsExactly(INSTANCE, file.toString(), "admin", "admin-pass");
    assertThat(c.numbers()).containsExactly(2048L);
    assertThat(posix(file)).isEqualTo("rw-------");
    assertThat(key.publicKey()).isEqualTo(StandInHsm.newKey(2048));
    assertThat(key.pkcs1Pem()).startsWith("-----BEGIN RSA PUBLIC KEY-----\n");
  }

  @Test
  void generateAdminKeyNeverOverwrites() {
    assertThatThrownBy(() -> hsm.generateAdminKey(INSTANCE, keyFile, "admin", null))
        .isInstanceOf(KeyFileException.class);
    assertThat(standIn.calls()).isEmpty();
  }

  @Test
  void serializedCallsNeverOverlap() throws Exception {
    standIn.addUnit("unit-2");
    standIn.addUnit("unit-3");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> all = new java.util.ArrayList<>();
      for (String u : List.of(UNIT, "unit-2", "unit-3")) {
        all.add(pool.submit(() -> {
          try (NativeSession s = hsm.openSession(
              SessionParameters.of(ENDPOINT, INSTANCE, u, keyFile, null), "t")) {
            for (int i = 0; i < 50; i++) {
              s.listUsers();
            }
          }
        }));
      }
      for (Future<?> f : all) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(standIn.maxInFlight()).isEqualTo(1);
  }

  @Test
  void withoutSerializationTwoSessionsCanBeInsideTheLibraryAtOnce() throws Exception {
    NativeHsm parallel = new NativeHsm(library(), false);
    assertThat(parallel.serializesCalls()).isFalse();
    standIn.addUnit("unit-2");
    CyclicBarrier bothInside = new CyclicBarrier(2);
    standIn.hook(c -> {
      if (c.fn().equals("ListUsersC")) {
        try {
          bothInside.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
          throw new IllegalStateException("the calls did not overlap", e);
        }
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<NativeUser>>> all = new java.util.ArrayList<>();
      for (String u : List.of(UNIT, "unit-2")) {
        all.add(pool.submit(() -> {
          try (NativeSession s = parallel.openSession(
              SessionParameters.of(ENDPOINT, INSTANCE, u, keyFile, null), "t")) {
            return s.listUsers();
          }
        }));
      }
      for (Future<List<NativeUser>> f : all) {
        assertThat(f.get(30, TimeUnit.SECONDS)).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(standIn.maxInFlight()).isEqualTo(2);
  }

  @Test
  void theStandInDetectsLeaksAndDoubleFrees() {
    // Checks the harness itself: a raw call whose result is not freed shows as a leak, and a second
    // FreeStringC of the same pointer as a double free.
    try (NativeSession s = open()) {
      assertThat(s.isClosed()).isFalse();
      long handle = standIn.sessions().keySet().iterator().next();
      PointerByReference out = new PointerByReference();
      library().GetCryptoUnitIDC(handle, out);
      assertThat(standIn.leaks()).isEqualTo(1);
      library().FreeStringC(out.getValue());
      assertThat(standIn.leaks()).isZero();
      library().FreeStringC(out.getValue());
      assertThat(control().StandInDoubleFrees()).isEqualTo(1);
    }
    control().StandInReset();
  }

  private static String posix(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
