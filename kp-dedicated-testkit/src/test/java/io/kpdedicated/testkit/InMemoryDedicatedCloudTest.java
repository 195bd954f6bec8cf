package io.kpdedicated.testkit;

import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.http.HttpServiceException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.http.SignedCommand;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryDedicatedCloudTest {
  private static final InstanceRequest THREE_UNITS =
      new InstanceRequest("kp-test", "us-south", null, 3);

  private final ManualClock clock = ManualClock.at(Instant.parse("2025-03-01T10:00:00Z"));
  private final SecureRandom random = new SecureRandom();
  private final InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
      .clock(clock).sleeper(clock.sleeper()).provisioningPolls(2)
      .importKeyPairs(TestKeys.IMPORT_POOL).build();

  private SignedCommand signed(KeyPair admin, String unitId, byte[] body) {
    return SignedCommand.sign(TestKeys.signer(admin), "POST", "/test", unitId, body,
        clock.instant(), random);
  }

  private String activeGuid() {
    return cloud.arrange().activeInstance(THREE_UNITS).guid();
  }

  private String unit(String guid, int index) {
    return cloud.snapshot(guid).unit(index).id();
  }

  private static HttpServiceException serviceError(Runnable call) {
    return catchThrowableOfType(HttpServiceException.class, call::run);
  }

  @Test
  void newInstanceProvisionsForTheConfiguredPollsThenIsActiveWithEndpoints() {
    ServiceInstance created = cloud.createInstance(THREE_UNITS);

    assertThat(created.state()).isEqualTo(InstanceState.PROVISIONING);
    assertThat(created.publicEndpoint()).isNull();
    assertThat(created.id()).isEqualTo(created.crn())
        .isEqualTo("crn:v1:bluemix:public:kms:us-south:a/5f8c0a4e1b2d4c6e8a0b1c2d3e4f5a6b:"
            + created.guid() + "::");
    assertThat(created.cryptoUnits()).isEqualTo(3);
    assertThat(cloud.getInstance(created.id()).state()).isEqualTo(InstanceState.PROVISIONING);
    ServiceInstance active = cloud.getInstance(created.guid());
    assertThat(active.state()).isEqualTo(InstanceState.ACTIVE);
    assertThat(active.publicEndpoint()).hasToString(
        "https://" + created.guid() + ".api.us-south.kms.appdomain.cloud");
    assertThat(active.privateEndpoint()).hasToString(
        "https://" + created.guid() + ".api.private.us-south.kms.appdomain.cloud");
    assertThat(cloud.listUnits(created.guid())).hasSize(3)
        .extracting(CryptoUnit::state).containsOnly(UnitState.RESERVED);
  }

  @Test
  void provisioningCanTakeATimeOnTheInjectedClock() {
    InMemoryDedicatedCloud timed = InMemoryDedicatedCloud.builder().clock(clock)
        .provisioningTime(Duration.ofMinutes(10)).build();
    ServiceInstance created = timed.createInstance(InstanceRequest.named("timed"));

    clock.advance(Duration.ofMinutes(9));
    assertThat(timed.getInstance(created.guid()).state()).isEqualTo(InstanceState.PROVISIONING);
    clock.advance(Duration.ofMinutes(1));
    assertThat(timed.getInstance(created.guid()).state()).isEqualTo(InstanceState.ACTIVE);
  }

  @Test
  void unitCountCanBeOverriddenForLargeBenchmarks() {
    InMemoryDedicatedCloud big = InMemoryDedicatedCloud.builder().unitsPerInstance(32)
        .provisioningPolls(0).build();
    ServiceInstance created = big.createInstance(THREE_UNITS);
    assertThat(created.cryptoUnits()).isEqualTo(32);
    assertThat(big.listUnits(created.guid())).hasSize(32);
  }

  @Test
  void listingUnitsOfAnInstanceStillProvisioningIsRefused() {
    ServiceInstance created = cloud.createInstance(THREE_UNITS);
    HttpServiceException e = serviceError(() -> cloud.listUnits(created.guid()));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.serviceCode()).hasValue("INSTANCE_NOT_ACTIVE");
  }

  @Test
  void unknownInstanceIsA404AndAnotherRegionA400() {
    assertThat(serviceError(() -> cloud.getInstance("nope")).status()).isEqualTo(404);
    HttpServiceException region = serviceError(() ->
        cloud.createInstance(new InstanceRequest("x", "eu-de", null, 2)));
    assertThat(region.status()).isEqualTo(400);
    assertThat(region.serviceCode()).hasValue("INVALID_REGION");
  }

  @Test
  void findsInstancesByNameAndRefusesAnAmbiguousName() {
    assertThat(cloud.findInstanceByName("kp-test")).isEmpty();
    ServiceInstance first = cloud.createInstance(THREE_UNITS);
    assertThat(cloud.findInstanceByName("kp-test")).get()
        .extracting(ServiceInstance::guid).isEqualTo(first.guid());
    cloud.createInstance(THREE_UNITS);
    HttpServiceException e = serviceError(() -> cloud.findInstanceByName("kp-test"));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.getMessage()).contains(first.crn());
  }

  @Test
  void claimInstallsTheAdminAndASecondClaimFailsLikeTheService() {
    String guid = activeGuid();
    String unit = unit(guid, 0);

    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));

    UnitSnapshot claimed = cloud.snapshot(guid).unit(0);
    assertThat(claimed.state()).isEqualTo(UnitState.CLAIMED);
    assertThat(UnitCrypto.sameKey(claimed.admin(), TestKeys.publicKey(TestKeys.ADMIN))).isTrue();
    HttpServiceException again = serviceError(() -> cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN)));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.serviceCode()).hasValue("CRYPTO_UNIT_ALREADY_CLAIMED");
    assertThat(again.retryable()).isFalse();
    assertThat(again.unitId()).hasValue(unit);
    assertThat(cloud.stats().changes(Operation.CLAIM, unit)).isEqualTo(1);
    assertThat(cloud.stats().calls(Operation.CLAIM, unit)).isEqualTo(2);
  }

  @Test
  void claimRefusesABadKeyAndAnUnknownUnit() {
    String guid = activeGuid();
    assertThat(serviceError(() -> cloud.claim(guid, unit(guid, 0), "not a key")).status())
        .isEqualTo(400);
    HttpServiceException unknown = serviceError(() -> cloud.claim(guid, "no-such-unit",
        TestKeys.pem(TestKeys.ADMIN)));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.serviceCode()).hasValue("CRYPTO_UNIT_NOT_FOUND");
  }

  @Test
  void importThenCryptoUserWalksClaimedInitializedKmsInitialized() {
    String guid = activeGuid();
    String unit = unit(guid, 0);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));
    byte[] key = new byte[32];
    random.nextBytes(key);

    MasterKeyInfo info = importKey(guid, unit, key);

    assertThat(info.checkValue())
        .isEqualTo(PortableHsmBackend.checkValueOf(UnitCrypto.checkValue(key)));
    assertThat(info.name()).isEqualTo("mk");
    assertThat(cloud.snapshot(guid).unit(0).state()).isEqualTo(UnitState.INITIALIZED);
    addCryptoUser(guid, unit);
    assertThat(cloud.snapshot(guid).unit(0).state()).isEqualTo(UnitState.KMS_INITIALIZED);
    byte[] empty = new byte[0];
    assertThat(cloud.listMasterKeys(guid, unit, signed(TestKeys.ADMIN, unit, empty), empty))
        .containsExactly(info);
    assertThat(cloud.listUsers(guid, unit, signed(TestKeys.ADMIN, unit, empty), empty))
        .extracting(u -> u.type()).containsExactly(UserType.ADMIN, UserType.KMS_CRYPTO_USER);
  }

  @Test
  void cryptoUserThenImportWalksClaimedKmsAuthorizedKmsInitialized() {
    String guid = activeGuid();
    String unit = unit(guid, 1);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));

    addCryptoUser(guid, unit);
    assertThat(cloud.snapshot(guid).unit(1).state()).isEqualTo(UnitState.KMS_AUTHORIZED);
    importKey(guid, unit, new byte[32]);
    assertThat(cloud.snapshot(guid).unit(1).state()).isEqualTo(UnitState.KMS_INITIALIZED);
  }

  @Test
  void importingADifferentKeyFailsAndTheSameKeyChangesNothing() {
    String guid = activeGuid();
    String unit = unit(guid, 0);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));
    byte[] key = new byte[32];
    random.nextBytes(key);
    importKey(guid, unit, key);

    assertThat(importKey(guid, unit, key).checkValue())
        .isEqualTo(PortableHsmBackend.checkValueOf(UnitCrypto.checkValue(key)));
    byte[] other = key.clone();
    other[0] ^= 1;
    HttpServiceException e = serviceError(() -> importKey(guid, unit, other));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.serviceCode()).hasValue("MASTER_KEY_ALREADY_LOADED");
    assertThat(cloud.stats().changes(Operation.IMPORT_MASTER_KEY, unit)).isEqualTo(1);
    assertThat(cloud.snapshot(guid).unit(0).checkValue())
        .hasValue(PortableHsmBackend.checkValueOf(UnitCrypto.checkValue(key)));
  }

  @Test
  void importRefusesAKeyWrappedToAnotherUnit() {
    String guid = activeGuid();
    String unit = unit(guid, 0);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));
    byte[] wrapped = UnitCrypto.wrapOaep(TestKeys.publicKey(TestKeys.IMPORT_POOL.get(2)), new byte[32]);
    byte[] body = wrapped.clone();

    HttpServiceException e = serviceError(() -> cloud.importMasterKey(guid, unit, "mk", wrapped,
        signed(TestKeys.ADMIN, unit, body), body));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.serviceCode()).hasValue("KEY_UNWRAP_FAILED");
  }

  @Test
  void addingAnExistingUserFails() {
    String guid = activeGuid();
    String unit = unit(guid, 0);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));
    addCryptoUser(guid, unit);

    HttpServiceException e = serviceError(() -> addCryptoUser(guid, unit));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.serviceCode()).hasValue("USER_ALREADY_EXISTS");
  }

  @Test
  void cryptoUserMustMatchTheMetadataIdentityAndSlot() {
    String guid = activeGuid();
    String unit = unit(guid, 0);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));
    var metadata = cloud.cryptoUserMetadata(guid);
    NewUser wrongSlot = new NewUser(UserType.KMS_CRYPTO_USER, metadata.userName(),
        metadata.publicKeyPem(), Map.of(NewUser.CXI_GROUP, "SLOT_0002"));
    NewUser wrongKey = new NewUser(UserType.KMS_CRYPTO_USER, metadata.userName(),
        TestKeys.pem(TestKeys.OTHER_ADMIN), Map.of(NewUser.CXI_GROUP, metadata.cxiGroup()));

    for (NewUser bad : List.of(wrongSlot, wrongKey)) {
      byte[] body = bad.toString().getBytes(StandardCharsets.UTF_8);
      HttpServiceException e = serviceError(() ->
          cloud.addUser(guid, unit, bad, signed(TestKeys.ADMIN, unit, body), body));
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.serviceCode()).hasValue("INVALID_CRYPTO_USER");
    }
    assertThat(metadata.cxiGroup()).isEqualTo("SLOT_0001");
    assertThat(cloud.snapshot(guid).unit(0).state()).isEqualTo(UnitState.CLAIMED);
  }

  @Test
  void commandsSignedByAnotherKeyAreForbidden() {
    String guid = activeGuid();
    String unit = unit(guid, 0);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));
    byte[] body = new byte[0];

    HttpServiceException e = serviceError(() ->
        cloud.openSession(guid, unit, signed(TestKeys.OTHER_ADMIN, unit, body), body));
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.serviceCode()).hasValue("ADMIN_SIGNATURE_INVALID");
  }

  @Test
  void aReplayedNonceIsRefused() {
    String guid = activeGuid();
    String unit = unit(guid, 0);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));
    byte[] body = new byte[0];
    SignedCommand command = signed(TestKeys.ADMIN, unit, body);
    cloud.openSession(guid, unit, command, body);

    HttpServiceException e = serviceError(() -> cloud.openSession(guid, unit, command, body));
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.serviceCode()).hasValue("NONCE_REPLAYED");
  }

  @Test
  void aStaleTimestampIsRefused() {
    String guid = activeGuid();
    String unit = unit(guid, 0);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));
    byte[] body = new byte[0];
    SignedCommand command = signed(TestKeys.ADMIN, unit, body);
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));

    HttpServiceException e = serviceError(() -> cloud.openSession(guid, unit, command, body));
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.serviceCode()).hasValue("SIGNATURE_EXPIRED");
  }

  @Test
  void aBodyOtherThanTheSignedOneIsRefused() {
    String guid = activeGuid();
    String unit = unit(guid, 0);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));
    SignedCommand command = signed(TestKeys.ADMIN, unit, "a".getBytes(StandardCharsets.UTF_8));

    HttpServiceException e = serviceError(() ->
        cloud.openSession(guid, unit, command, "b".getBytes(StandardCharsets.UTF_8)));
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.serviceCode()).hasValue("BODY_DIGEST_MISMATCH");
  }

  @Test
  void sessionsNeedAClaimedUnitAndGiveEachUnitItsOwnImportKey() {
    String guid = activeGuid();
    String unit0 = unit(guid, 0);
    String unit1 = unit(guid, 1);
    byte[] body = new byte[0];
    assertThat(serviceError(() -> cloud.openSession(guid, unit0,
        signed(TestKeys.ADMIN, unit0, body), body)).serviceCode()).hasValue("CRYPTO_UNIT_NOT_CLAIMED");

    cloud.claim(guid, unit0, TestKeys.pem(TestKeys.ADMIN));
    cloud.claim(guid, unit1, TestKeys.pem(TestKeys.ADMIN));
    SessionInfo s0 = cloud.openSession(guid, unit0, signed(TestKeys.ADMIN, unit0, body), body);
    SessionInfo s1 = cloud.openSession(guid, unit1, signed(TestKeys.ADMIN, unit1, body), body);
    assertThat(UnitCrypto.sameKey(s0.importKey(), s1.importKey())).isFalse();
    assertThat(s0.importKeyPkcs1Pem()).startsWith("-----BEGIN RSA PUBLIC KEY-----\n");
  }

  @Test
  void zeroizeReturnsAUnitToReservedAndItCanBeClaimedAgain() {
    String guid = activeGuid();
    String unit = unit(guid, 0);
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN));
    importKey(guid, unit, new byte[32]);

    cloud.zeroize(guid, unit);

    UnitSnapshot wiped = cloud.snapshot(guid).unit(0);
    assertThat(wiped.state()).isEqualTo(UnitState.RESERVED);
    assertThat(wiped.masterKey()).isNull();
    assertThat(wiped.users()).isEmpty();
    cloud.claim(guid, unit, TestKeys.pem(TestKeys.OTHER_ADMIN));
    assertThat(cloud.snapshot(guid).unit(0).state()).isEqualTo(UnitState.CLAIMED);
  }

  @Test
  void arrangePutsUnitsIntoAnyStateWithoutCounting() {
    String guid = activeGuid();
    byte[] key = new byte[32];
    random.nextBytes(key);
    cloud.arrange(guid)
        .unit(0).claimedBy(TestKeys.publicKey(TestKeys.ADMIN)).withMasterKey("mk", key).withCryptoUser()
        .and().unit(1).claimedBy(TestKeys.publicKey(TestKeys.ADMIN)).withCryptoUser()
        .and().unit(2).state(UnitState.MAINTENANCE);

    InstanceSnapshot snapshot = cloud.snapshot(guid);
    assertThat(snapshot.states()).containsExactly(UnitState.KMS_INITIALIZED,
        UnitState.KMS_AUTHORIZED, UnitState.MAINTENANCE);
    assertThat(snapshot.unit(0).checkValue())
        .hasValue(PortableHsmBackend.checkValueOf(UnitCrypto.checkValue(key)));
    assertThat(cloud.stats().totalCalls()).isZero();
    HttpServiceException e = serviceError(() -> cloud.claim(guid, snapshot.unit(2).id(),
        TestKeys.pem(TestKeys.ADMIN)));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aUnitMarkedForDeletionRefusesCalls() {
    String guid = activeGuid();
    cloud.arrange(guid).unit(0).state(UnitState.MARKED_FOR_DEL);
    String unit = unit(guid, 0);
    assertThat(cloud.listUnits(guid).get(0).state()).isEqualTo(UnitState.MARKED_FOR_DEL);
    HttpServiceException e = serviceError(() -> cloud.claim(guid, unit, TestKeys.pem(TestKeys.ADMIN)));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.serviceCode()).hasValue("CRYPTO_UNIT_MARKED_FOR_DELETION");
  }

  @Test
  void aUnitCanReportAStateTheSdkDoesNotKnowUntilItsStateChanges() {
    String guid = activeGuid();
    cloud.arrange(guid).unit(0).reportedState("degraded");

    CryptoUnit listed = cloud.listUnits(guid).get(0);
    assertThat(listed.state()).isEqualTo(UnitState.UNKNOWN);
    assertThat(listed.rawState()).isEqualTo("degraded");
    assertThat(cloud.snapshot(guid).unit(0).state()).isEqualTo(UnitState.UNKNOWN);

    cloud.claim(guid, listed.id(), TestKeys.pem(TestKeys.ADMIN));
    assertThat(cloud.listUnits(guid).get(0).state()).isEqualTo(UnitState.CLAIMED);
  }

  @Test
  void idsAreRepeatableForTheSameSeed() {
    InMemoryDedicatedCloud a = InMemoryDedicatedCloud.builder().seed(7).build();
    InMemoryDedicatedCloud b = InMemoryDedicatedCloud.builder().seed(7).build();
    assertThat(a.createInstance(THREE_UNITS).guid()).isEqualTo(b.createInstance(THREE_UNITS).guid());
  }

  private MasterKeyInfo importKey(String guid, String unit, byte[] key) {
    byte[] empty = new byte[0];
    SessionInfo session = cloud.openSession(guid, unit, signed(TestKeys.ADMIN, unit, empty), empty);
    byte[] wrapped = UnitCrypto.wrapOaep(session.importKey(), key);
    byte[] body = wrapped.clone();
    return cloud.importMasterKey(guid, unit, "mk", wrapped, signed(TestKeys.ADMIN, unit, body), body);
  }

  private void addCryptoUser(String guid, String unit) {
    NewUser user = cloud.cryptoUserMetadata(guid).toNewUser();
    byte[] body = user.toString().getBytes(StandardCharsets.UTF_8);
    cloud.addUser(guid, unit, user, signed(TestKeys.ADMIN, unit, body), body);
  }
}
