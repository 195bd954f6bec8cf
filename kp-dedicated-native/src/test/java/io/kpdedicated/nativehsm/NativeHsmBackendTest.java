package io.kpdedicated.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.KdfCost;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.core.spi.PreparedMasterKey;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.http.HttpTransport;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native backend over the C stand-in: what it prepares, what it sends, how it fails. */
class NativeHsmBackendTest extends StandInTestBase {
  private static final URI ENDPOINT =
      URI.create("https://0f1e2d3c.api.us-south.kms.appdomain.cloud");
  private static final String INSTANCE = "0f1e2d3c-aaaa-bbbb-cccc-0123456789ab";
  private static final InstanceTarget TARGET = new InstanceTarget(ENDPOINT, INSTANCE);
  private static final String UNIT = "unit-1";
  private static final String KCV = "fdca29d11b2fff3b:caaf20ff34786279";

  @TempDir Path dir;

  private NativeHsmBackend backend;
  private final Passphrase adminPass = Passphrase.of("admin-pass-1");
  private final PrepareContext run = context(false);
  private final PrepareContext dryRun = context(true);
  private List<KeyshareLocation> shares;

  private static PrepareContext context(boolean dryRun) {
    return new PrepareContext(dryRun, new SecureRandom(), Clock.systemUTC(),
        KdfCost.forTestsOnly());
  }

  @BeforeEach
  void setUp() {
    backend = NativeHsmBackend.builder().hsm(new NativeHsm(library(), true))
        .tokenProvider(() -> "tok123").correlationId("corr-native").tempDirectory(dir).build();
    standIn.addUnit(UNIT);
    shares = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      shares.add(new KeyshareLocation(dir.resolve("mk-share-" + i),
          Passphrase.of("share-pass-" + i)));
    }
  }

  private Path keyFile(RSAPublicKey key) throws Exception {
    Path f = dir.resolve("admin.key");
    Files.writeString(f, "# admin key\nMOD=" + key.getModulus().toString(16) + "\nPEXP="
        + key.getPublicExponent().toString(16) + "\n");
    return f;
  }

  private AdminCredential loadedAdmin() throws Exception {
    return backend.prepareAdmin(AdminIdentitySource.load(keyFile(StandInHsm.newKey(2048)),
        adminPass), run);
  }

  private void writeShares(List<KeyshareLocation> locations) throws Exception {
    for (KeyshareLocation l : locations) {
      Files.writeString(l.path(), "share");
    }
  }

  // ---------------------------------------------------------------- administrator

  @Test
  void loadReadsTheKeyFileAndClaimsWithItsPublicKey() throws Exception {
    RSAPublicKey key = StandInHsm.newKey(2048);
    Path file = keyFile(key);
    AdminCredential c = backend.prepareAdmin(AdminIdentitySource.load(file, adminPass), run);
    assertThat(c.claimPublicKeyPem()).isEqualTo(RsaKeys.toPkcs1Pem(key));
    assertThat(c.action()).isEqualTo(IdentityAction.LOAD);
    assertThat(c.description()).contains("loaded", file.toString());
    assertThat(standIn.calls()).isEmpty();
  }

  @Test
  void generateReusesTheFileAnEarlierRunWroteWithoutCallingTheLibrary() throws Exception {
    RSAPublicKey key = StandInHsm.newKey(2048);
    Path file = keyFile(key);
    AdminCredential c = backend.prepareAdmin(AdminIdentitySource.generate(file, adminPass, "ops"),
        run);
    assertThat(c.claimPublicKeyPem()).isEqualTo(RsaKeys.toPkcs1Pem(key));
    assertThat(c.action()).isEqualTo(IdentityAction.LOAD);
    assertThat(c.description()).contains("earlier run", file.toString());
    assertThat(standIn.calls()).isEmpty();
  }

  @Test
  void anExistingFileThatIsNoKeyFileIsRefusedWithAWarningNotToReplaceIt() throws Exception {
    Path file = dir.resolve("admin.key");
    Files.writeString(file, "not a key file\n");
    KeyFileException e = catchThrowableOfType(KeyFileException.class, () -> backend.prepareAdmin(
        AdminIdentitySource.generate(file, adminPass, "ops"), run));
    assertThat(e.getMessage()).contains(file.toString(), "exists (an earlier run probably"
        + " generated it) but was refused", "Do not delete or replace it");
    assertThat(e.getCause()).isInstanceOf(KeyFileException.class);
    assertThat(standIn.calls()).isEmpty();
  }

  @Test
  void generateWritesAnOwnerOnlyKeyFileThroughTheLibrary() throws Exception {
    Path file = dir.resolve("admin.key");
    AdminCredential c = backend.prepareAdmin(AdminIdentitySource.generate(file, adminPass, "ops"),
        run);
    assertThat(c.action()).isEqualTo(IdentityAction.GENERATE);
    assertThat(c.description()).contains("generated", file.toString());
    assertThat(c.claimPublicKeyPem()).isEqualTo(RsaKeys.toPkcs1Pem(StandInHsm.newKey(2048)));
    StandInHsm.Call call = standIn.onlyCall("GenerateRSAKeyC");
    assertThat(call.numbers()).containsExactly(2048L);
    assertThat(call.strings()).contains(file.toAbsolutePath().toString(), "admin-pass-1");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void theAdministratorKeyHas2048Or3072Or4096Bits() throws Exception {
    NativeHsm hsm = backend.hsm();
    for (int bits : new int[] {3072, 4096}) {
      Path file = dir.resolve("admin-" + bits + ".key");
      assertThat(hsm.generateAdminKey("", file, "ops", adminPass, bits).pkcs1Pem())
          .isEqualTo(RsaKeys.toPkcs1Pem(StandInHsm.newKey(bits)));
    }
    for (int bits : new int[] {1024, 2047, 8192}) {
      assertThatThrownBy(() -> hsm.generateAdminKey("", dir.resolve("x.key"), "ops", adminPass,
          bits)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bits");
    }
    assertThat(standIn.calls("GenerateRSAKeyC")).hasSize(2);
  }

  @Test
  void aFailedKeyGenerationIsTheLibrarysTypedFailure() {
    standIn.fail("GenerateRSAKeyC", 1, 0xB9061006L, "cannot write");
    ServiceException e = catchThrowableOfType(ServiceException.class, () -> backend.prepareAdmin(
        AdminIdentitySource.generate(dir.resolve("admin.key"), adminPass, "ops"), run));
    assertThat(e.operation()).isEqualTo(Operation.OPEN_SESSION);
    assertThat(e.kind()).isEqualTo(FailureKind.INVALID_REQUEST);
    assertThat(e.serviceCode()).contains("0xB9061006");
  }

  @Test
  void aKeyFileInAMissingFolderIsRefusedBeforeAnyCall() {
    Path file = dir.resolve("no-such-folder").resolve("admin.key");
    assertThatThrownBy(() -> backend.prepareAdmin(AdminIdentitySource.generate(file, adminPass,
        "ops"), run))
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("folder of the administrator key file " + file)
        .hasMessageContaining("does not exist");
    assertThat(standIn.calls()).isEmpty();
  }

  @Test
  void aDryRunWritesNoKeyFileAndItsKeyOpensNoSession() {
    Path file = dir.resolve("admin.key");
    AdminCredential c = backend.prepareAdmin(AdminIdentitySource.generate(file, adminPass, "ops",
        3072), dryRun);
    assertThat(c.action()).isEqualTo(IdentityAction.GENERATE);
    assertThat(c.description()).contains("would generate", file.toString());
    assertThat(file).doesNotExist();
    assertThat(standIn.calls()).isEmpty();
    BigInteger modulus = RsaKeys.fromPem(c.claimPublicKeyPem()).getModulus();
    assertThat(modulus.bitLength()).isEqualTo(3072);

    ServiceException e = catchThrowableOfType(ServiceException.class,
        () -> backend.openSession(TARGET, UNIT, c));
    assertThat(e.kind()).isEqualTo(FailureKind.NOT_ADMIN);
    assertThat(e.operation()).isEqualTo(Operation.OPEN_SESSION);
    assertThat(e.unitId()).contains(UNIT);
    assertThat(e.getMessage()).contains("not generated yet");
    assertThat(standIn.calls()).isEmpty();
  }

  @Test
  void anAdministratorSignerInMemoryIsRefused() {
    RSAPublicKey key = StandInHsm.newKey(2048);
    AdminSigner signer = new AdminSigner() {
      @Override
      public RSAPublicKey publicKey() {
        return key;
      }

      @Override
      public byte[] sign(byte[] message) {
        throw new UnsupportedOperationException();
      }
    };
    assertThatThrownBy(() -> backend.prepareAdmin(AdminIdentitySource.of(signer), run))
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("cannot use an administrator signer");
  }

  // ---------------------------------------------------------------- master key

  @Test
  void generatingNamesTheFilesTheLibraryWillWrite() {
    PreparedMasterKey k = backend.prepareMasterKey(MasterKeySource.generate("KPMK", 2, shares),
        run);
    assertThat(k.keyName()).isEqualTo("KPMK");
    assertThat(k.needsGeneration()).isTrue();
    assertThat(k.checkedOffline()).isFalse();
    assertThat(k.checkValue()).isEmpty();
    assertThat(k.action()).isEqualTo(KeysharesAction.GENERATE);
    assertThat(k.description()).startsWith("will generate master key 'KPMK'")
        .contains("3 share files (2 needed)");
    assertThat(k.toString()).contains("KPMK", "3 share files", "to generate")
        .doesNotContain("share-pass");
    assertThat(((NativePreparedKey) k).threshold()).isEqualTo(2);
    assertThat(((NativePreparedKey) k).shares()).extracting(ShareFile::file)
        .allSatisfy(p -> assertThat(p.isAbsolute()).isTrue());
    assertThat(standIn.calls()).isEmpty();
  }

  @Test
  void aDryRunSaysItWouldGenerate() {
    PreparedMasterKey k = backend.prepareMasterKey(MasterKeySource.generate("KPMK", 2, shares),
        dryRun);
    assertThat(k.description()).startsWith("would generate master key 'KPMK'");
  }

  @Test
  void aCompleteSetAnEarlierRunWroteIsReused() throws Exception {
    writeShares(shares);
    PreparedMasterKey k = backend.prepareMasterKey(MasterKeySource.generate("KPMK", 2, shares),
        run);
    assertThat(k.needsGeneration()).isFalse();
    assertThat(k.action()).isEqualTo(KeysharesAction.REUSE);
    assertThat(k.description()).contains("reusing the 3 share files");
    assertThat(k.toString()).doesNotContain("to generate");
  }

  @Test
  void aPartialSetIsRefusedNamingPresentAndMissingFiles() throws Exception {
    writeShares(shares.subList(0, 1));
    assertThatThrownBy(() -> backend.prepareMasterKey(MasterKeySource.generate("KPMK", 2, shares),
        run))
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("present " + shares.get(0).path())
        .hasMessageContaining("missing " + shares.get(1).path() + ", " + shares.get(2).path());
  }

  @Test
  void aShareInAMissingFolderIsRefused() {
    List<KeyshareLocation> elsewhere = List.of(shares.get(0),
        new KeyshareLocation(dir.resolve("gone").resolve("s2"), Passphrase.of("share-pass-2")));
    assertThatThrownBy(() -> backend.prepareMasterKey(MasterKeySource.generate("KPMK", 2,
        elsewhere), run))
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("folder of share file " + dir.resolve("gone").resolve("s2"));
  }

  @Test
  void aKeyNameTheLibraryCannotCarryIsRefused() {
    assertThatThrownBy(() -> backend.prepareMasterKey(MasterKeySource.generate("KP MK", 2,
        shares), run))
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("KP MK");
  }

  @Test
  void aHashInAShareFilePathIsRefusedBeforeAnyFileIsLookedAt() {
    List<KeyshareLocation> hashed = List.of(shares.get(0),
        new KeyshareLocation(dir.resolve("a#b"), Passphrase.of("share-pass-2")));
    InitializationException e = catchThrowableOfType(InitializationException.class,
        () -> backend.prepareMasterKey(MasterKeySource.existing(hashed), run));
    assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("no ',' or '#'"));
  }

  @Test
  void existingSharesMustAllExist() throws Exception {
    writeShares(shares.subList(0, 1));
    KeyFileException e = catchThrowableOfType(KeyFileException.class,
        () -> backend.prepareMasterKey(MasterKeySource.existing(shares), run));
    assertThat(e.reason()).isEqualTo(KeyFileException.Reason.NOT_READABLE);
    assertThat(e.getMessage()).contains(shares.get(1).path() + ", " + shares.get(2).path(),
        "do not exist");
  }

  @Test
  void existingSharesAreImportedAsGiven() throws Exception {
    writeShares(shares);
    PreparedMasterKey k = backend.prepareMasterKey(MasterKeySource.existing(shares), run);
    assertThat(k.needsGeneration()).isFalse();
    assertThat(k.action()).isEqualTo(KeysharesAction.USE_GIVEN);
    assertThat(((NativePreparedKey) k).threshold()).isZero();
    assertThat(k.description()).contains("3 share files", "not checked offline");
  }

  // ---------------------------------------------------------------- sessions

  @Test
  void aSessionOpensWithTheKeyFileItsPassphraseAndTheProvidersToken() throws Exception {
    AdminCredential admin = loadedAdmin();
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      assertThat(s.unitId()).isEqualTo(UNIT);
    }
    StandInHsm.Call c = standIn.onlyCall("CreateSessionC");
    assertThat(c.strings()).containsExactly(ENDPOINT.toString(), INSTANCE, UNIT, "ADMIN",
        dir.resolve("admin.key").toString(), "admin-pass-1", "Bearer tok123");
    assertThat(standIn.sessions()).as("closed").isEmpty();
  }

  @Test
  void aCredentialOfAnotherBackendIsRefused() {
    AdminCredential foreign = new AdminCredential() {
      @Override
      public String claimPublicKeyPem() {
        return "pem";
      }

      @Override
      public IdentityAction action() {
        return IdentityAction.LOAD;
      }

      @Override
      public String description() {
        return "another backend's";
      }

      @Override
      public void close() {}
    };
    assertThatThrownBy(() -> backend.openSession(TARGET, UNIT, foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not prepared by the native backend");
  }

  @Test
  void aSessionThatCannotOpenIsARetryableConnectionFailure() throws Exception {
    AdminCredential admin = loadedAdmin();
    standIn.fail("CreateSessionC", 1, 0, "down");
    TransportException e = catchThrowableOfType(TransportException.class,
        () -> backend.openSession(TARGET, UNIT, admin));
    assertThat(e.operation()).isEqualTo(Operation.OPEN_SESSION);
    assertThat(e.kind()).isEqualTo(FailureKind.CONNECTION);
    assertThat(e.retryable()).isTrue();
    assertThat(e.unitId()).contains(UNIT);
  }

  @Test
  void generatingWritesTheSharesOnceImportsThemAndLearnsTheUnitsCheckValue() throws Exception {
    AdminCredential admin = loadedAdmin();
    PreparedMasterKey k = backend.prepareMasterKey(MasterKeySource.generate("KPMK", 2, shares),
        run);
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      MasterKeyInfo info = s.generateMasterKey(k);
      assertThat(info.checkValue()).isEqualTo(new CheckValue(KCV));
    }
    StandInHsm.Call gen = standIn.onlyCall("GenerateMBKC");
    assertThat(gen.str(2)).isEqualTo("KPMK    ");
    assertThat(gen.numbers()).containsExactly(32L, 3L, 2L);
    assertThat(gen.str(3)).contains("Authorization=Bearer tok123", "X-Correlation-ID=corr-native",
        "Instance-ID=" + INSTANCE);
    assertThat(standIn.onlyCall("ImportMBKC").num(0)).isEqualTo(3L);
    assertThat(k.needsGeneration()).isFalse();
    assertThat(k.checkValue()).contains(new CheckValue(KCV));
    for (KeyshareLocation l : shares) {
      assertThat(Files.getPosixFilePermissions(l.path()))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void sharesAnInterruptedAttemptWroteAreImportedNotGeneratedAgain() throws Exception {
    AdminCredential admin = loadedAdmin();
    PreparedMasterKey k = backend.prepareMasterKey(MasterKeySource.generate("KPMK", 2, shares),
        run);
    writeShares(shares);
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      assertThat(s.generateMasterKey(k).checkValue()).isEqualTo(new CheckValue(KCV));
    }
    assertThat(standIn.calls("GenerateMBKC")).isEmpty();
    assertThat(standIn.calls("ImportMBKC")).hasSize(1);
    assertThat(k.needsGeneration()).isFalse();
  }

  @Test
  void someSharesMissingAtGenerationStopsTheUnitWithoutAnyCall() throws Exception {
    AdminCredential admin = loadedAdmin();
    PreparedMasterKey k = backend.prepareMasterKey(MasterKeySource.generate("KPMK", 2, shares),
        run);
    writeShares(shares.subList(0, 2));
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      InitializationException e = catchThrowableOfType(InitializationException.class,
          () -> s.generateMasterKey(k));
      assertThat(e.unitId()).contains(UNIT);
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("only some of the share files exist",
          shares.get(0).path().toString());
    }
    assertThat(standIn.calls("GenerateMBKC")).isEmpty();
    assertThat(standIn.calls("ImportMBKC")).isEmpty();
    assertThat(k.needsGeneration()).isTrue();
  }

  @Test
  void theFirstCheckValueLearnedIsKept() throws Exception {
    AdminCredential admin = loadedAdmin();
    standIn.addUnit("unit-2");
    writeShares(shares);
    PreparedMasterKey k = backend.prepareMasterKey(MasterKeySource.existing(shares), run);
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      s.importMasterKey(k);
    }
    standIn.masterKeyCheckValue("0000000000000000:1111111111111111");
    try (HsmSession s = backend.openSession(TARGET, "unit-2", admin)) {
      assertThat(s.importMasterKey(k).checkValue().text())
          .isEqualTo("0000000000000000:1111111111111111");
    }
    assertThat(k.checkValue()).contains(new CheckValue(KCV));
  }

  @Test
  void anImportThatLeavesNoKeyListedIsAnInvalidAnswer() throws Exception {
    AdminCredential admin = loadedAdmin();
    writeShares(shares);
    PreparedMasterKey k = backend.prepareMasterKey(MasterKeySource.existing(shares), run);
    standIn.answer("ListMBKKeysC", "slot name     len algo type k date       time     kcv\n");
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      ServiceException e = catchThrowableOfType(ServiceException.class,
          () -> s.importMasterKey(k));
      assertThat(e.kind()).isEqualTo(FailureKind.INVALID_ANSWER);
      assertThat(e.operation()).isEqualTo(Operation.IMPORT_MASTER_KEY);
      assertThat(e.unitId()).contains(UNIT);
    }
    assertThat(k.checkValue()).isEmpty();
  }

  @Test
  void aWrongSharePassphraseIsATypedFailureThatNoRetryCanFix() throws Exception {
    AdminCredential admin = loadedAdmin();
    writeShares(shares);
    PreparedMasterKey k = backend.prepareMasterKey(MasterKeySource.existing(shares), run);
    standIn.fail("ImportMBKC", 1, 0xB906100EL, "cannot decrypt");
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      ServiceException e = catchThrowableOfType(ServiceException.class,
          () -> s.importMasterKey(k));
      assertThat(e.kind()).isEqualTo(FailureKind.INVALID_REQUEST);
      assertThat(e.operation()).isEqualTo(Operation.IMPORT_MASTER_KEY);
      assertThat(e.retryable()).isFalse();
      assertThat(e.serviceCode()).contains("0xB906100E");
      assertThat(e.remediation()).hasValueSatisfying(r -> assertThat(r).contains("share file"));
    }
  }

  @Test
  void aMasterKeyOfAnotherBackendIsRefused() throws Exception {
    AdminCredential admin = loadedAdmin();
    PreparedMasterKey foreign = new PreparedMasterKey() {
      @Override
      public String keyName() {
        return "KPMK";
      }

      @Override
      public Optional<CheckValue> checkValue() {
        return Optional.empty();
      }

      @Override
      public boolean checkedOffline() {
        return true;
      }

      @Override
      public boolean needsGeneration() {
        return false;
      }

      @Override
      public KeysharesAction action() {
        return KeysharesAction.USE_GIVEN;
      }

      @Override
      public String description() {
        return "another backend's";
      }

      @Override
      public void close() {}
    };
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      assertThatThrownBy(() -> s.importMasterKey(foreign))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not prepared by the native backend");
      assertThatThrownBy(() -> s.generateMasterKey(foreign))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theCryptoUserIsAddedWithItsSlotAndTheRunsHeaders() throws Exception {
    AdminCredential admin = loadedAdmin();
    String pem = RsaKeys.toPkcs1Pem(StandInHsm.newKey(2048));
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      s.addUser(new NewUser(UserType.KMS_CRYPTO_USER, "kms-crypto-user", pem,
          Map.of(NewUser.CXI_GROUP, "SLOT_0068")));
      assertThat(s.listUsers()).containsExactly(
          new CryptoUser("ADMIN", UserType.ADMIN, Map.of()),
          new CryptoUser("kms-crypto-user", UserType.KMS_CRYPTO_USER,
              Map.of(NewUser.CXI_GROUP, "SLOT_0068")));
    }
    StandInHsm.Call add = standIn.onlyCall("AddUserC");
    assertThat(add.str(0)).isEqualTo("kms-crypto-user");
    assertThat(add.str(1)).isEqualTo("kmsCryptoUser");
    assertThat(add.str(4)).isEqualTo("CXI_GROUP=SLOT_0068");
    assertThat(add.str(5)).contains("X-Correlation-ID=corr-native",
        "Authorization=Bearer tok123");
    assertThat(add.credentialFileContent()).startsWith("# RSA key\nMOD=");
    assertThat(add.str(2)).startsWith(dir.toString());
    assertThat(dir).isDirectoryNotContaining("glob:**/kpd-crypto-user-*");
  }

  @Test
  void anExistingCryptoUserIsAlreadyExists() throws Exception {
    AdminCredential admin = loadedAdmin();
    String pem = RsaKeys.toPkcs1Pem(StandInHsm.newKey(2048));
    NewUser user = new NewUser(UserType.KMS_CRYPTO_USER, "kms-crypto-user", pem,
        Map.of(NewUser.CXI_GROUP, "SLOT_0068"));
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      s.addUser(user);
      ServiceException e = catchThrowableOfType(ServiceException.class, () -> s.addUser(user));
      assertThat(e.kind()).isEqualTo(FailureKind.ALREADY_EXISTS);
      assertThat(e.operation()).isEqualTo(Operation.ADD_USER);
    }
  }

  @Test
  void onlyTheCryptoUserWithASlotGroupCanBeAdded() throws Exception {
    AdminCredential admin = loadedAdmin();
    String pem = RsaKeys.toPkcs1Pem(StandInHsm.newKey(2048));
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      ServiceException admins = catchThrowableOfType(ServiceException.class,
          () -> s.addUser(NewUser.admin("ops2", pem)));
      assertThat(admins.kind()).isEqualTo(FailureKind.INVALID_REQUEST);
      assertThat(admins.unitId()).contains(UNIT);
      assertThat(admins.getMessage()).contains("admin");
      for (Map<String, String> attributes : List.of(Map.<String, String>of(),
          Map.of(NewUser.CXI_GROUP, "GROUP_0068"), Map.of(NewUser.CXI_GROUP, "SLOT_12345"))) {
        ServiceException e = catchThrowableOfType(ServiceException.class, () -> s.addUser(
            new NewUser(UserType.KMS_CRYPTO_USER, "kms-crypto-user", pem, attributes)));
        assertThat(e.kind()).isEqualTo(FailureKind.INVALID_ANSWER);
        assertThat(e.operation()).isEqualTo(Operation.ADD_USER);
        assertThat(e.unitId()).contains(UNIT);
      }
    }
    assertThat(standIn.calls("AddUserC")).isEmpty();
  }

  @Test
  void usersWithoutACryptoGroupAreOther() throws Exception {
    AdminCredential admin = loadedAdmin();
    standIn.answer("ListUsersC", "Name Permission Mechanism Attributes\n"
        + "ADMIN 22000000 RSA sign Z[0]\n"
        + "auditor 00000001 RSA sign I[0]\n");
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      assertThat(s.listUsers()).extracting(CryptoUser::name, CryptoUser::type).containsExactly(
          tuple("ADMIN", UserType.ADMIN),
          tuple("auditor", UserType.OTHER));
    }
  }

  @Test
  void aGarbledAnswerIsAnInvalidAnswer() throws Exception {
    AdminCredential admin = loadedAdmin();
    standIn.answer("ListMBKKeysC", "what is this\n");
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      TransportException e = catchThrowableOfType(TransportException.class, s::listMasterKeys);
      assertThat(e.kind()).isEqualTo(FailureKind.INVALID_ANSWER);
      assertThat(e.operation()).isEqualTo(Operation.LIST_MASTER_KEYS);
    }
  }

  @Test
  void listedMasterKeysCarryNameAndCheckValue() throws Exception {
    AdminCredential admin = loadedAdmin();
    standIn.unit(UNIT).masterKeyName = "KPMK";
    standIn.unit(UNIT).checkValue = KCV;
    try (HsmSession s = backend.openSession(TARGET, UNIT, admin)) {
      assertThat(s.listMasterKeys()).containsExactly(new MasterKeyInfo("KPMK",
          new CheckValue(KCV)));
    }
  }

  // ---------------------------------------------------------------- builder

  @Test
  void theBuilderNeedsATokenSource() {
    assertThatThrownBy(() -> NativeHsmBackend.builder().hsm(new NativeHsm(library(), true))
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tokenProvider");
  }

  @Test
  void sessionsTakeTheirTokensFromTheGivenRefresher() throws Exception {
    NativeHsmBackend b = NativeHsmBackend.builder().hsm(new NativeHsm(library(), true))
        .tokens(SessionTokenRefresher.of(() -> "tok-from-refresher")).tempDirectory(dir).build();
    AdminCredential admin = b.prepareAdmin(AdminIdentitySource.load(
        keyFile(StandInHsm.newKey(2048)), adminPass), run);
    b.openSession(TARGET, UNIT, admin).close();
    assertThat(standIn.onlyCall("CreateSessionC").str(6)).isEqualTo("Bearer tok-from-refresher");
  }

  @Test
  void theCorrelationIdIsVisibleAsciiWithoutPercentUpTo128Characters() {
    NativeHsmBackend.Builder b = NativeHsmBackend.builder();
    for (String bad : List.of("", " ", "a b", "a%b", "a\u007fb", "\u00e9", "x".repeat(129))) {
      assertThatThrownBy(() -> b.correlationId(bad))
          .as("'%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    b.correlationId("x".repeat(128));
    b.correlationId("!~");
  }

  @Test
  void theDescriptionSaysWhetherCallsAreSerialized() {
    NativeHsmBackend serialized = NativeHsmBackend.builder().library(library())
        .tokenProvider(() -> "t").build();
    NativeHsmBackend parallel = NativeHsmBackend.builder().library(library())
        .serializeCalls(false).tokenProvider(() -> "t").build();
    assertThat(serialized.description()).isEqualTo(NativeHsmBackend.DESCRIPTION
        + " (calls serialized)");
    assertThat(serialized.hsm().serializesCalls()).isTrue();
    assertThat(parallel.description()).isEqualTo(NativeHsmBackend.DESCRIPTION
        + " (parallel calls)");
    assertThat(parallel.hsm().serializesCalls()).isFalse();
    assertThat(parallel.toString()).contains("parallel calls");
  }

  // ---------------------------------------------------------------- transport

  @Test
  void theTransportTakesTheRestHalfFromHttpAndTheSessionsFromTheLibrary() throws Exception {
    HttpTransport http = HttpTransport.builder().tokenProvider(() -> "tok123")
        .correlationId("corr-http").build();
    NativeTransport t = NativeTransport.over(http, () -> "tok123", new NativeHsm(library(), false));
    assertThat(t.provisioning()).isSameAs(http.provisioning());
    assertThat(t.cryptoUnits()).isSameAs(http.cryptoUnits());
    assertThat(t.hsm()).isInstanceOf(NativeHsmBackend.class).isNotSameAs(http.hsm());
    assertThat(t.hsm().description()).isEqualTo(NativeHsmBackend.DESCRIPTION
        + " (parallel calls)");
    assertThat(t.toString()).isEqualTo("NativeTransport[" + t.hsm().description() + "]");

    AdminCredential admin = t.hsm().prepareAdmin(AdminIdentitySource.load(
        keyFile(StandInHsm.newKey(2048)), adminPass), run);
    writeShares(shares);
    PreparedMasterKey k = t.hsm().prepareMasterKey(MasterKeySource.existing(shares), run);
    try (HsmSession s = t.hsm().openSession(TARGET, UNIT, admin)) {
      s.importMasterKey(k);
    }
    assertThat(standIn.onlyCall("ImportMBKC").str(1)).contains("X-Correlation-ID=corr-http");
  }

  @Test
  void ofCombinesAnyRestHalfWithTheGivenBackend() {
    HttpTransport http = HttpTransport.builder().tokenProvider(() -> "tok123").build();
    NativeTransport t = NativeTransport.of(http, backend);
    assertThat(t.hsm()).isSameAs(backend);
    assertThat(t.provisioning()).isSameAs(http.provisioning());
    assertThat(t.cryptoUnits()).isSameAs(http.cryptoUnits());
    assertThatThrownBy(() -> NativeTransport.of(null, backend))
        .isInstanceOf(NullPointerException.class);
  }
}
