package io.kpdedicated.testkit.nativehsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.InstanceSelector;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.nativehsm.CryptoUserCredential;
import io.kpdedicated.nativehsm.NativeHeaders;
import io.kpdedicated.nativehsm.NativeHsmBackend;
import io.kpdedicated.nativehsm.NativeSession;
import io.kpdedicated.nativehsm.NativeTransport;
import io.kpdedicated.nativehsm.SessionParameters;
import io.kpdedicated.nativehsm.ShareFile;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import io.kpdedicated.testkit.InMemoryTransport;
import io.kpdedicated.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DedicatedInitializer} with {@link NativeHsmBackend} over the C stand-in of IBM's library,
 * and the in-memory cloud's REST half: claim over REST, everything else through the library, on the
 * same units. The extension asserts after every test that no result string leaked.
 */
class NativeBackendInitializerTest {
  private static final Pattern NATIVE_KCV = Pattern.compile("[0-9a-f]{16}:[0-9a-f]{16}");
  private static final String TOKEN = "iam-token-native";
  private static final String[] SESSION_CALLS = {"CreateSessionC", "ListMBKKeysC", "ListUsersC",
      "GenerateMBKC", "ImportMBKC", "AddUserC"};

  @RegisterExtension final StandInExtension standIn = new StandInExtension();

  @TempDir Path dir;

  private final ManualClock clock = ManualClock.at(Instant.parse("2030-05-01T10:11:12Z"));
  private InMemoryDedicatedCloud cloud;
  private InMemoryTransport rest;
  private final Passphrase adminPass = Passphrase.of("admin-pass-1");
  private StandInHsmModel model;
  private NativeHsmBackend backend;
  private Path keyFile;
  private List<KeyshareLocation> shares;

  @BeforeEach
  void setUp() {
    newWorld();
    backend = NativeHsmBackend.builder().hsm(standIn.hsm()).tokenProvider(() -> TOKEN)
        .correlationId("corr-native").tempDirectory(dir).build();
    keyFile = dir.resolve("admin.key");
    shares = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      shares.add(new KeyshareLocation(dir.resolve("mk-share-" + i), Passphrase.of("share-pass-"
          + i)));
    }
  }

  private InstanceRequest request(int units) {
    return new InstanceRequest("kp-native", "us-south", null, units);
  }

  private DedicatedInitializer.Builder initializer(int units) {
    return DedicatedInitializer.builder()
        .transport(NativeTransport.of(rest, backend))
        .instance(InstanceSelector.createOrReuse(request(units)))
        .adminIdentity(AdminIdentitySource.generate(keyFile, adminPass, "ops"))
        .masterKey(MasterKeySource.generate("KPMK", 2, shares))
        .retryPolicy(RetryPolicy.defaults())
        .clock(clock)
        .sleeper(clock.sleeper());
  }

  private List<UnitState> states() {
    return cloud.snapshot().onlyInstance().states();
  }

  private void assertDone(InitializationResult result, int units) {
    assertThat(states()).hasSize(units).containsOnly(UnitState.KMS_INITIALIZED);
    CheckValue kcv = result.checkValue().orElseThrow();
    assertThat(kcv.text()).matches(NATIVE_KCV);
    assertThat(result.units()).extracting(UnitOutcome::checkValue).containsOnly(kcv);
    assertThat(cloud.snapshot().onlyInstance().units()).allSatisfy(u ->
        assertThat(u.hasCryptoUser()).isTrue());
    assertThat(model.openSessions()).as("every session closed").isEmpty();
    assertThat(dir).isDirectoryNotContaining("glob:**/kpd-crypto-user-*");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void takesEveryUnitFromReservedToKmsInitializedWithOneCheckValue(int units) throws Exception {
    InitializationResult result = initializer(units).build().run();

    assertDone(result, units);
    assertThat(model.calls("GenerateMBKC")).hasSize(1);
    assertThat(model.calls("ImportMBKC")).hasSize(units);
    assertThat(model.calls("AddUserC")).hasSize(units);
    StandInHsmModel.Call generate = model.onlyCall("GenerateMBKC");
    assertThat(generate.str(2)).isEqualTo("KPMK    ");
    assertThat(generate.numbers()).containsExactly(32L, 3L, 2L);
    assertThat(model.calls("ImportMBKC")).allSatisfy(c -> assertThat(c.num(0)).isEqualTo(3L));
    assertThat(model.calls("CreateSessionC")).allSatisfy(c -> {
      assertThat(c.str(5)).isEqualTo("admin-pass-1");
      assertThat(c.str(6)).isEqualTo("Bearer " + TOKEN);
      assertThat(c.num(0)).isEqualTo(443L);
    });
    assertThat(model.onlyCall("GenerateMBKC").str(3)).contains("Authorization=Bearer " + TOKEN,
        "X-Correlation-ID=corr-native", "Correlation-Id=corr-native");
    for (KeyshareLocation s : shares) {
      assertThat(Files.getPosixFilePermissions(s.path()))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    assertThat(Files.getPosixFilePermissions(keyFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(backend.description()).startsWith("native: IBM's HSM library");

    int calls = model.calls().size();
    InitializationResult again = initializer(units).build().run();
    assertDone(again, units);
    assertThat(again.checkValue()).isEqualTo(result.checkValue());
    assertThat(model.calls().subList(calls, model.calls().size()))
        .extracting(StandInHsmModel.Call::fn)
        .doesNotContain("GenerateMBKC", "ImportMBKC", "AddUserC", "GenerateRSAKeyC");
  }

  /** Unit 0 claimed, unit 1 initialized, unit 2 kms-authorized (and, in a variant, one done). */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void resumesFromAMixOfUnitStates(boolean oneUnitDone) throws Exception {
    var instance = cloud.arrange().activeInstance(request(3));
    String guid = instance.guid();
    InstanceTarget target = instance.publicTarget().orElseThrow();
    var admin = standIn.hsm().generateAdminKey(guid, keyFile, "ops", adminPass);
    List<String> ids = cloud.snapshot().onlyInstance().units().stream().map(u -> u.id()).toList();
    ids.forEach(id -> rest.cryptoUnits().claim(target, id, admin.pkcs1Pem()));
    List<ShareFile> files = shares.stream().map(s -> new ShareFile(s.path(), s.passphrase()))
        .toList();
    CryptoUserMetadata m = cloud.metadata();
    CryptoUserCredential user = new CryptoUserCredential(m.userName(), m.publicKeyPem(),
        m.slotId());
    NativeHeaders headers = NativeHeaders.forCommand(TOKEN, guid, "r", "c");
    try (NativeSession s = standIn.hsm().openSession(SessionParameters.of(
        target.endpoint().toString(), guid, ids.get(1), keyFile, adminPass), TOKEN)) {
      s.generateMasterKey(files, 2, "KPMK", headers);
      s.importMasterKey(files, headers);
    }
    try (NativeSession s = standIn.hsm().openSession(SessionParameters.of(
        target.endpoint().toString(), guid, ids.get(2), keyFile, adminPass), TOKEN)) {
      s.addCryptoUser(user, headers, dir);
      if (oneUnitDone) {
        s.importMasterKey(files, headers);
      }
    }
    assertThat(states()).containsExactly(UnitState.CLAIMED, UnitState.INITIALIZED,
        oneUnitDone ? UnitState.KMS_INITIALIZED : UnitState.KMS_AUTHORIZED);
    int generated = model.calls("GenerateMBKC").size();

    InitializationResult result = initializer(3).build().run();

    assertDone(result, 3);
    assertThat(model.calls("GenerateMBKC")).as("the files exist: no second key").hasSize(generated);
    assertThat(model.calls("AddUserC")).as("one add per unit that lacked the user").hasSize(3);
  }

  @Test
  void resumesAfterACrashAfterEveryLibraryCall() throws Exception {
    for (String fn : new String[] {"GenerateRSAKeyC", "ListMBKKeysC", "ListUsersC",
        "GenerateMBKC", "ImportMBKC", "AddUserC"}) {
      for (int nth : fn.contains("Generate") ? new int[] {0} : new int[] {0, 1}) {
        freshWorld(fn.equals("GenerateRSAKeyC"));
        int[] seen = {0};
        // The call takes effect, then the run dies (a status nobody retries).
        if (nth == 0) {
          model.failAfterEffect(fn, 1, 0xC7000005L, "simulated crash");
        } else {
          model.hook(c -> {
            if (c.fn().equals(fn) && seen[0]++ == nth) {
              model.failAfterEffect(fn, 1, 0xC7000005L, "simulated crash");
            }
          });
        }
        RuntimeException crash = catchThrowableOfType(RuntimeException.class,
            () -> initializer(3).build().run());
        model.hook(c -> { });
        model.clearFaults();
        InitializationResult result = initializer(3).build().run();
        assertThat(states()).as("after a crash after %s #%d (%s)", fn, nth + 1, crash)
            .containsOnly(UnitState.KMS_INITIALIZED);
        assertDone(result, 3);
        assertThat(model.leaks()).isZero();
      }
    }
  }

  /** New cloud and model; share files gone; the admin key file too when asked (it is slow). */
  private void freshWorld(boolean newAdminKey) throws Exception {
    for (KeyshareLocation s : shares) {
      Files.deleteIfExists(s.path());
    }
    if (newAdminKey) {
      Files.deleteIfExists(keyFile);
    }
    newWorld();
  }

  /** A new cloud with a new stand-in model serving it. */
  private void newWorld() {
    cloud = InMemoryDedicatedCloud.builder().clock(clock).sleeper(clock.sleeper())
        .provisioningPolls(0).build();
    rest = InMemoryTransport.over(cloud);
    model = standIn.register(cloud, b -> b.sleeper(clock.sleeper()));
  }

  @Test
  void survivesARetryableFaultOnEveryLibraryCallAndEveryRestCall() {
    for (String fn : SESSION_CALLS) {
      model.fail(fn, 1, 0xC7000101L, "timed out");
      if (!fn.equals("CreateSessionC")) {
        model.failAfterEffect(fn, 1, 0xC7000103L, "connection closed");
      }
    }
    for (Operation op : new Operation[] {Operation.FIND_INSTANCE, Operation.CREATE_INSTANCE,
        Operation.GET_INSTANCE, Operation.LIST_UNITS, Operation.CLAIM,
        Operation.CRYPTO_USER_METADATA}) {
      cloud.faults().on(op).times(1).error(503, "SERVICE_UNAVAILABLE", "busy");
    }
    cloud.faults().on(Operation.CLAIM).unitIndex(1).times(1).dropConnection();

    // Up to five faults can hit one step (open, list, list, generate, generate): allow for them.
    InitializationResult result = initializer(3).retryPolicy(new RetryPolicy(10,
        java.time.Duration.ofMillis(500), 2.0, java.time.Duration.ofSeconds(30), 0.2)).build()
        .run();

    assertDone(result, 3);
    assertThat(model.calls("GenerateMBKC")).as("the lost answer's files are imported, not"
        + " generated again").hasSize(2);
  }

  @Test
  void aWrongSharePassphraseFailsWithTheRemediationAndIsNotRetried() {
    model.fail("ImportMBKC", 1, 0xB906100EL, "cannot decrypt key file");

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> initializer(2).build().run());

    assertThat(e.retryable()).isFalse();
    UnitOutcome failed = e.result().failedUnits().get(0);
    ServiceException cause = (ServiceException) failed.failureIfAny().orElseThrow();
    assertThat(cause.kind()).isEqualTo(FailureKind.INVALID_REQUEST);
    assertThat(cause.serviceCode()).hasValue("0xB906100E");
    assertThat(cause.retryable()).isFalse();
    assertThat(cause.remediation().orElseThrow()).contains("passphrase", "share file");
    assertThat(model.calls("ImportMBKC")).hasSize(1);
  }

  @Test
  void anotherAdministratorsUnitIsNotAdminAndUnclaimedIsClaimFirst() {
    InitializationResult first = initializer(2).build().run();
    assertThat(first.succeeded()).isTrue();
    ServiceException notAdmin;
    Path other = dir.resolve("other.key");
    String guid = first.target().instanceGuid();
    standIn.hsm().generateAdminKey(guid, other, "intruder", Passphrase.of("other-pass-1"));
    var cred = backend.prepareAdmin(AdminIdentitySource.load(other, Passphrase.of("other-pass-1")),
        new io.kpdedicated.core.spi.PrepareContext(false, new java.security.SecureRandom(), clock,
            io.kpdedicated.core.KdfCost.defaults()));
    InstanceTarget target = first.target();
    try (var s = backend.openSession(target, first.units().get(0).unitId(), cred)) {
      notAdmin = catchThrowableOfType(ServiceException.class, s::listUsers);
    }
    assertThat(notAdmin.kind()).isEqualTo(FailureKind.NOT_ADMIN);
    assertThat(notAdmin.retryable()).isFalse();

    rest.cryptoUnits().zeroize(target, first.units().get(1).unitId());
    try (var s = backend.openSession(target, first.units().get(1).unitId(), cred)) {
      ServiceException claimFirst = catchThrowableOfType(ServiceException.class,
          s::listMasterKeys);
      assertThat(claimFirst.kind()).isEqualTo(FailureKind.WRONG_STATE);
      assertThat(claimFirst.remediation().orElseThrow()).contains("claim");
    }
  }

  @Test
  void sharePathsAndNamesTheLibraryCannotCarryAreRefusedBeforeAnyCall() {
    List<KeyshareLocation> bad = List.of(
        new KeyshareLocation(dir.resolve("a,b"), Passphrase.of("share-pass-1")),
        new KeyshareLocation(dir.resolve("c"), Passphrase.of("share-pass-2")));
    InitializationException e = catchThrowableOfType(InitializationException.class,
        () -> initializer(2).masterKey(MasterKeySource.generate("KPMK", 2, bad)).build().run());
    assertThat(e.getMessage()).contains("a,b");
    List<KeyshareLocation> hash = List.of(
        new KeyshareLocation(dir.resolve("x"), Passphrase.of("pass#word1")),
        new KeyshareLocation(dir.resolve("y"), Passphrase.of("share-pass-2")));
    InitializationException h = catchThrowableOfType(InitializationException.class,
        () -> initializer(2).masterKey(MasterKeySource.generate("KPMK", 2, hash)).build().run());
    assertThat(h.getMessage()).doesNotContain("pass#word1").contains(dir.resolve("x").toString());
    InitializationException n = catchThrowableOfType(InitializationException.class,
        () -> initializer(2).masterKey(MasterKeySource.generate("K P", 2, shares)).build().run());
    assertThat(n.getMessage()).contains("K P");
    assertThat(model.calls()).extracting(StandInHsmModel.Call::fn).as("no call but the"
        + " administrator key's").containsOnly("GenerateRSAKeyC");
    assertThat(cloud.snapshot().instances()).as("nothing created").isEmpty();
  }
}
