package io.kpdedicated.testkit.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.nativehsm.AdminKeyFile;
import io.kpdedicated.nativehsm.CryptoUserCredential;
import io.kpdedicated.nativehsm.NativeCall;
import io.kpdedicated.nativehsm.NativeHeaders;
import io.kpdedicated.nativehsm.NativeHsm;
import io.kpdedicated.nativehsm.NativeHsmException;
import io.kpdedicated.nativehsm.NativeMasterKey;
import io.kpdedicated.nativehsm.NativeSession;
import io.kpdedicated.nativehsm.NativeUser;
import io.kpdedicated.nativehsm.SessionParameters;
import io.kpdedicated.nativehsm.ShareFile;
import io.kpdedicated.nativehsm.UnexpectedAnswerException;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import io.kpdedicated.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims over REST on an in-memory cloud, then initializes the same units through the SDK's JNA
 * binding of IBM's library, over the C stand-in whose HSM is modelled on that cloud.
 */
class StandInHsmOverCloudTest {
  private static final Pattern NATIVE_KCV = Pattern.compile("[0-9a-f]{16}:[0-9a-f]{16}");
  private static final String TOKEN = "iam-token-1";

  @RegisterExtension final StandInExtension standIn = new StandInExtension();

  @TempDir Path dir;

  private final ManualClock clock = ManualClock.at(Instant.parse("2030-05-01T10:11:12Z"));
  private final InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
      .clock(clock).sleeper(clock.sleeper()).provisioningPolls(0).build();
  private final InMemoryTransport rest = InMemoryTransport.over(cloud);
  private StandInHsmModel model;
  private NativeHsm hsm;
  private InstanceTarget target;
  private String guid;
  private List<String> unitIds;
  private Path keyFile;
  private final Passphrase adminPass = Passphrase.of("admin-pass-1");

  @BeforeEach
  void setUp() {
    model = standIn.register(cloud, b -> b.sleeper(clock.sleeper()));
    hsm = standIn.hsm();
    ServiceInstance created = rest.provisioning().createInstance(
        new InstanceRequest("kp-native", "us-south", null, 3));
    target = rest.provisioning().getInstance(created.id()).publicTarget().orElseThrow();
    guid = target.instanceGuid();
    unitIds = rest.cryptoUnits().listUnits(target).stream().map(CryptoUnit::id).toList();
    keyFile = dir.resolve("admin.key");
  }

  private AdminKeyFile adminKeyClaimedOnEveryUnit() {
    AdminKeyFile admin = hsm.generateAdminKey(guid, keyFile, "ops", adminPass);
    for (String unit : unitIds) {
      rest.cryptoUnits().claim(target, unit, admin.pkcs1Pem());
    }
    return admin;
  }

  private NativeSession open(String unit) {
    return hsm.openSession(SessionParameters.of(target.endpoint().toString(), guid, unit, keyFile,
        adminPass), TOKEN);
  }

  private NativeHeaders headers() {
    return NativeHeaders.forCommand(TOKEN, guid, "req-1", "corr-1");
  }

  private List<ShareFile> shares(int n) {
    List<ShareFile> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(new ShareFile(dir.resolve("mk-share-" + i + ".txt"),
          Passphrase.of("share-pass-" + i)));
    }
    return out;
  }

  private List<UnitState> restStates() {
    return rest.cryptoUnits().listUnits(target).stream().map(CryptoUnit::state).toList();
  }

  @Test
  void claimOverRestThenGenerateImportAddUserAndListOverTheLibraryEndKmsInitialized()
      throws Exception {
    adminKeyClaimedOnEveryUnit();
    assertThat(restStates()).containsOnly(UnitState.CLAIMED);
    List<ShareFile> shares = shares(3);
    CryptoUserMetadata metadata = rest.cryptoUnits().cryptoUserMetadata(target);
    CryptoUserCredential user = new CryptoUserCredential(metadata.userName(),
        metadata.publicKeyPem(), metadata.slotId());
    Path tmp = Files.createDirectory(dir.resolve("tmp"));

    try (NativeSession first = open(unitIds.get(0))) {
      first.generateMasterKey(shares, 2, "KPMK", headers());
    }
    List<String> kcvs = new ArrayList<>();
    for (String unit : unitIds) {
      try (NativeSession s = open(unit)) {
        s.importMasterKey(shares.subList(1, 3), headers());
        s.addCryptoUser(user, headers(), tmp);
        List<NativeMasterKey> keys = s.listMasterKeys();
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).slot()).isEqualTo(3);
        assertThat(keys.get(0).name()).isEqualTo("KPMK");
        kcvs.add(keys.get(0).checkValue());
        assertThat(s.listUsers()).extracting(NativeUser::name)
            .containsExactly("ADMIN", metadata.userName());
      }
    }

    assertThat(kcvs).hasSize(3).allMatch(k -> NATIVE_KCV.matcher(k).matches());
    assertThat(kcvs).containsOnly(kcvs.get(0));
    assertThat(restStates()).containsOnly(UnitState.KMS_INITIALIZED);
    assertThat(cloud.snapshot(guid).units()).allSatisfy(u -> {
      assertThat(u.checkValue()).isEqualTo(cloud.snapshot(guid).unit(0).checkValue());
      assertThat(u.hasCryptoUser()).isTrue();
    });
    for (ShareFile share : shares) {
      assertThat(Files.getPosixFilePermissions(share.file()))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.readString(share.file())).startsWith(StandInFiles.SHARE_MAGIC + "\n");
    }
    assertThat(Files.getPosixFilePermissions(keyFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(tmp).isEmptyDirectory();
    assertThat(model.openSessions()).isEmpty();
    assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY)).isEqualTo(3);
    assertThat(cloud.stats().changes(Operation.ADD_USER)).isEqualTo(3);
  }

  @Test
  void theLibraryReceivesExactlyTheArgumentsOfIbmsClient() throws Exception {
    adminKeyClaimedOnEveryUnit();
    List<ShareFile> shares = shares(2);
    CryptoUserMetadata metadata = cloud.metadata();
    CryptoUserCredential user = new CryptoUserCredential(metadata.userName(),
        metadata.publicKeyPem(), metadata.slotId());
    String unit = unitIds.get(1);

    try (NativeSession s = open(unit)) {
      s.generateMasterKey(shares, 2, "KPMK", headers());
      s.importMasterKey(shares, headers());
      s.addCryptoUser(user, headers(), dir);
    }

    StandInHsmModel.Call session = model.onlyCall("CreateSessionC");
    assertThat(session.strings()).containsExactly(target.endpoint().toString(), guid, unit,
        "ADMIN", keyFile.toAbsolutePath().toString(), "admin-pass-1", "Bearer " + TOKEN);
    assertThat(session.numbers()).containsExactly(443L);
    String keyspec = shares.get(0).file() + "#share-pass-1," + shares.get(1).file()
        + "#share-pass-2";
    String hdrs = "Authorization=Bearer " + TOKEN + "%Bluemix-Instance=" + guid + "%Instance-ID="
        + guid + "%X-Request-ID=req-1%X-Correlation-ID=corr-1%Correlation-Id=corr-1";
    StandInHsmModel.Call generate = model.onlyCall("GenerateMBKC");
    assertThat(generate.strings()).containsExactly(keyspec, "AES", "KPMK    ", hdrs);
    assertThat(generate.numbers()).containsExactly(32L, 2L, 2L);
    StandInHsmModel.Call imported = model.onlyCall("ImportMBKC");
    assertThat(imported.strings()).containsExactly(keyspec, hdrs);
    assertThat(imported.numbers()).containsExactly(3L);
    StandInHsmModel.Call add = model.onlyCall("AddUserC");
    String credential = add.str(2);
    assertThat(credential).endsWith("#").startsWith(dir.toAbsolutePath().toString());
    assertThat(Path.of(credential.substring(0, credential.length() - 1))).doesNotExist();
    assertThat(add.strings()).containsExactly(metadata.userName(), "kmsCryptoUser", credential,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(metadata.publicKeyPem().getBytes(java.nio.charset.StandardCharsets.UTF_8))),
        String.format("CXI_GROUP=SLOT_%04d", metadata.slotId()), hdrs);
    assertThat(add.credentialFileContent()).isEqualTo(user.fileContent())
        .startsWith("# RSA key\nMOD=").contains("\nPEXP=010001\n");
    assertThat(restStates()).containsExactly(UnitState.CLAIMED, UnitState.KMS_INITIALIZED,
        UnitState.CLAIMED);
  }

  @Test
  void statesFollowTheOrderOfCallsAndASecondAddUserIsTypedAsExisting() throws Exception {
    adminKeyClaimedOnEveryUnit();
    List<ShareFile> shares = shares(2);
    CryptoUserMetadata m = cloud.metadata();
    CryptoUserCredential user = new CryptoUserCredential(m.userName(), m.publicKeyPem(), m.slotId());

    try (NativeSession s = open(unitIds.get(0))) {
      s.generateMasterKey(shares, 2, "KPMK", headers());
      assertThat(restStates().get(0)).as("generating loads nothing").isEqualTo(UnitState.CLAIMED);
      s.addCryptoUser(user, headers(), dir);
      assertThat(restStates().get(0)).isEqualTo(UnitState.KMS_AUTHORIZED);
      NativeHsmException again = catchThrowableOfType(NativeHsmException.class,
          () -> s.addCryptoUser(user, headers(), dir));
      assertThat(again.status().orElseThrow().hex()).isEqualTo("0xC7000C01");
      s.importMasterKey(shares, headers());
      assertThat(restStates().get(0)).isEqualTo(UnitState.KMS_INITIALIZED);
      s.importMasterKey(shares, headers());
    }
    try (NativeSession s = open(unitIds.get(1))) {
      s.importMasterKey(shares, headers());
      assertThat(restStates().get(1)).isEqualTo(UnitState.INITIALIZED);
    }
    assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY)).isEqualTo(2);
  }

  @Test
  void aUnitZeroizedOverRestIsSeenByTheLibraryAtOnce() {
    adminKeyClaimedOnEveryUnit();
    List<ShareFile> shares = shares(2);
    String unit = unitIds.get(2);
    try (NativeSession s = open(unit)) {
      s.generateMasterKey(shares, 2, "KPMK", headers());
      s.importMasterKey(shares, headers());
      assertThat(s.listMasterKeys()).hasSize(1);

      rest.cryptoUnits().zeroize(target, unit);

      NativeHsmException e = catchThrowableOfType(NativeHsmException.class, s::listMasterKeys);
      assertThat(e.status().orElseThrow().hex()).isEqualTo("0xB1B39FC5");
      assertThat(e.remediation().orElseThrow()).containsIgnoringCase("claim");
    }
  }

  @Test
  void anotherAdminKeyOrAWrongPassphraseGetsNoUseOfTheUnit() throws Exception {
    adminKeyClaimedOnEveryUnit();
    Path other = dir.resolve("other.key");
    hsm.generateAdminKey(guid, other, "intruder", Passphrase.of("other-pass-1"));

    try (NativeSession s = hsm.openSession(SessionParameters.of(target.endpoint().toString(),
        guid, unitIds.get(0), other, Passphrase.of("other-pass-1")), TOKEN)) {
      NativeHsmException e = catchThrowableOfType(NativeHsmException.class, s::listUsers);
      assertThat(e.status().orElseThrow().hex()).isEqualTo("0xC7000300");
      assertThat(e.retryable()).isFalse();
    }
    NativeHsmException wrong = catchThrowableOfType(NativeHsmException.class,
        () -> hsm.openSession(SessionParameters.of(target.endpoint().toString(), guid,
            unitIds.get(0), keyFile, Passphrase.of("not-the-pass")), TOKEN));
    assertThat(wrong.call()).isEqualTo(NativeCall.CREATE_SESSION);
    assertThat(model.refusedSessions()).containsExactly(
        "the passphrase does not open key file " + keyFile.toAbsolutePath());
    assertThat(restStates()).containsOnly(UnitState.CLAIMED);
  }

  @Test
  void aWrongSharePassphraseAndAnotherKeyAreTypedAndChangeNothing() {
    adminKeyClaimedOnEveryUnit();
    List<ShareFile> shares = shares(2);
    List<ShareFile> otherShares = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      otherShares.add(new ShareFile(dir.resolve("other-" + i), Passphrase.of("other-pass-" + i)));
    }
    try (NativeSession s = open(unitIds.get(0))) {
      s.generateMasterKey(shares, 2, "KPMK", headers());
      s.generateMasterKey(otherShares, 2, "OTHER", headers());
      NativeHsmException wrong = catchThrowableOfType(NativeHsmException.class,
          () -> s.importMasterKey(List.of(shares.get(0), new ShareFile(shares.get(1).file(),
              Passphrase.of("wrong-pass-2"))), headers()));
      assertThat(wrong.status().orElseThrow().hex()).isEqualTo("0xB906100E");
      assertThat(wrong.getMessage()).doesNotContain("wrong-pass-2");
      assertThat(restStates().get(0)).isEqualTo(UnitState.CLAIMED);

      s.importMasterKey(shares, headers());
      NativeHsmException conflict = catchThrowableOfType(NativeHsmException.class,
          () -> s.importMasterKey(otherShares, headers()));
      assertThat(conflict.status().orElseThrow().hex()).isEqualTo("0xB1B39FC4");
    }
    assertThat(restStates().get(0)).isEqualTo(UnitState.INITIALIZED);
  }

  @Test
  void faultsRunThroughTheNativePathStatusesTablesLatencyAndNCalls() {
    adminKeyClaimedOnEveryUnit();
    String unit = unitIds.get(0);
    model.fail("ListUsersC", 2, 0xC7000101L, "timed out talking to the HSM");
    model.latency("ListMBKKeysC", Duration.ofMillis(1500));
    model.failOnUnit("ListMBKKeysC", unitIds.get(1), 1, 0xB1B3C350L, "internal error");

    try (NativeSession s = open(unit)) {
      for (int i = 0; i < 2; i++) {
        NativeHsmException e = catchThrowableOfType(NativeHsmException.class, s::listUsers);
        assertThat(e.status().orElseThrow().hex()).isEqualTo("0xC7000101");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("timed out talking to the HSM");
      }
      assertThat(s.listUsers()).extracting(NativeUser::name).containsExactly("ADMIN");
      assertThat(s.listMasterKeys()).as("the unit fault is for another unit").isEmpty();
      assertThat(clock.sleeps()).contains(Duration.ofMillis(1500));

      model.answer("ListMBKKeysC", "slot name     len algo type k date       time     kcv   extra\n"
          + "3    KPMK      32 AES  MBK  2 2030-05-01 10:11:12 fdca29d11b2fff3b:caaf20ff34786279 x\n");
      assertThat(s.listMasterKeys()).extracting(NativeMasterKey::checkValue)
          .containsExactly("fdca29d11b2fff3b:caaf20ff34786279");
      model.answer("ListUsersC", "Found 1 users\nthis is no table\n");
      UnexpectedAnswerException garbage = catchThrowableOfType(UnexpectedAnswerException.class,
          s::listUsers);
      assertThat(garbage.getMessage()).contains("this is no table");
    }
    try (NativeSession s = open(unitIds.get(1))) {
      NativeHsmException e = catchThrowableOfType(NativeHsmException.class, s::listMasterKeys);
      assertThat(e.status().orElseThrow().hex()).isEqualTo("0xB1B3C350");
      assertThat(e.retryable()).isTrue();
    }
  }

  @Test
  void aCallThatTookEffectButReportedFailureLeavesTheUnitChanged() {
    adminKeyClaimedOnEveryUnit();
    List<ShareFile> shares = shares(2);
    model.failAfterEffect("ImportMBKC", 1, 0xC7000103L, "connection closed");
    try (NativeSession s = open(unitIds.get(0))) {
      s.generateMasterKey(shares, 2, "KPMK", headers());
      NativeHsmException e = catchThrowableOfType(NativeHsmException.class,
          () -> s.importMasterKey(shares, headers()));
      assertThat(e.retryable()).isTrue();
      assertThat(restStates().get(0)).isEqualTo(UnitState.INITIALIZED);
      s.importMasterKey(shares, headers());
    }
    assertThat(restStates().get(0)).isEqualTo(UnitState.INITIALIZED);
  }

  @Test
  void anExpiredTokenIsRefusedUntilANewOneIsSet() {
    adminKeyClaimedOnEveryUnit();
    java.util.Set<String> valid = new java.util.concurrent.CopyOnWriteArraySet<>(
        List.of("Bearer " + TOKEN));
    model = standIn.register(cloud, b -> b.tokenCheck(valid::contains));
    try (NativeSession s = open(unitIds.get(0))) {
      valid.clear();
      valid.add("Bearer iam-token-2");
      NativeHsmException e = catchThrowableOfType(NativeHsmException.class, s::listUsers);
      assertThat(e.status().orElseThrow().hex()).isEqualTo("0x00000008");
      assertThat(e.retryable()).isTrue();

      s.setToken("iam-token-2");

      assertThat(s.listUsers()).hasSize(1);
    }
  }
}
