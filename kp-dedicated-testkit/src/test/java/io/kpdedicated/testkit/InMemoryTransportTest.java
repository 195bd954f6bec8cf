package io.kpdedicated.testkit;

import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.http.HttpServiceException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.Remediations;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.crypto.MasterKey;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryTransportTest {
  private final ManualClock clock = ManualClock.at(Instant.parse("2025-03-01T10:00:00Z"));
  private final InMemoryDedicatedCloud cloud = InMemoryDedicatedCloud.builder()
      .clock(clock).sleeper(clock.sleeper()).provisioningPolls(1)
      .importKeyPairs(TestKeys.IMPORT_POOL).build();
  private final InMemoryTransport transport = InMemoryTransport.over(cloud);

  private InstanceTarget activeTarget() {
    ServiceInstance created = transport.provisioning().createInstance(InstanceRequest.named("t"));
    ServiceInstance active = transport.provisioning().getInstance(created.id());
    return active.publicTarget().orElseThrow();
  }

  @Test
  void provisionsListsClaimsAndAddsTheCryptoUserThroughASignedSession() {
    InstanceTarget target = activeTarget();
    String unit = transport.cryptoUnits().listUnits(target).get(0).id();

    transport.cryptoUnits().claim(target, unit, TestKeys.pem(TestKeys.ADMIN));
    try (HsmSession session =
        transport.hsm().openSession(target, unit, PortableHsmBackend.credentialOf(TestKeys.signer(TestKeys.ADMIN)))) {
      session.addUser(transport.cryptoUnits().cryptoUserMetadata(target).toNewUser());
      assertThat(session.listUsers()).extracting(u -> u.type())
          .containsExactly(UserType.ADMIN, UserType.KMS_CRYPTO_USER);
      assertThat(session.listMasterKeys()).isEmpty();
      assertThat(session.unitId()).isEqualTo(unit);
    }

    assertThat(transport.cryptoUnits().listUnits(target).get(0).state())
        .isEqualTo(UnitState.KMS_AUTHORIZED);
    assertThat(cloud.stats().calls(Operation.OPEN_SESSION, unit)).isEqualTo(1);
  }

  @Test
  void importsTheMasterKeyWrappedToTheUnitsImportKeyAndReportsItsCheckValue() {
    InstanceTarget target = activeTarget();
    String unit = transport.cryptoUnits().listUnits(target).get(1).id();
    transport.cryptoUnits().claim(target, unit, TestKeys.pem(TestKeys.ADMIN));

    try (MasterKey key = MasterKey.generate("mk1", new SecureRandom());
        HsmSession session =
            transport.hsm().openSession(target, unit, PortableHsmBackend.credentialOf(TestKeys.signer(TestKeys.ADMIN)))) {
      MasterKeyInfo info = session.importMasterKey(PortableHsmBackend.preparedKeyOf(key));

      assertThat(info).isEqualTo(new MasterKeyInfo("mk1", PortableHsmBackend.checkValueOf(key.checkValue())));
      assertThat(session.listMasterKeys()).containsExactly(info);
      assertThat(key.isDestroyed()).isFalse();
    }
    assertThat(cloud.snapshot(target.instanceGuid()).unit(1).state())
        .isEqualTo(UnitState.INITIALIZED);
  }

  @Test
  void aSecondDifferentMasterKeyIsRefusedByTheUnit() {
    InstanceTarget target = activeTarget();
    String unit = transport.cryptoUnits().listUnits(target).get(0).id();
    transport.cryptoUnits().claim(target, unit, TestKeys.pem(TestKeys.ADMIN));
    try (MasterKey first = MasterKey.generate("mk", new SecureRandom());
        MasterKey second = MasterKey.generate("mk", new SecureRandom());
        HsmSession session =
            transport.hsm().openSession(target, unit, PortableHsmBackend.credentialOf(TestKeys.signer(TestKeys.ADMIN)))) {
      session.importMasterKey(PortableHsmBackend.preparedKeyOf(first));
      HttpServiceException e = catchThrowableOfType(HttpServiceException.class,
          () -> session.importMasterKey(PortableHsmBackend.preparedKeyOf(second)));
      assertThat(e.status()).isEqualTo(409);
      assertThat(e.getMessage()).doesNotContain(second.checkValue().hex());
    }
  }

  @Test
  void aSessionOpenedWithAnotherAdminIsRefused() {
    InstanceTarget target = activeTarget();
    String unit = transport.cryptoUnits().listUnits(target).get(0).id();
    transport.cryptoUnits().claim(target, unit, TestKeys.pem(TestKeys.ADMIN));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () ->
        transport.hsm().openSession(target, unit, PortableHsmBackend.credentialOf(TestKeys.signer(TestKeys.OTHER_ADMIN))));
    assertThat(e.status()).isEqualTo(403);
  }

  @Test
  void aSignerClockFarFromTheCloudsIsRefused() {
    InstanceTarget target = activeTarget();
    String unit = transport.cryptoUnits().listUnits(target).get(0).id();
    transport.cryptoUnits().claim(target, unit, TestKeys.pem(TestKeys.ADMIN));
    ManualClock skewed = ManualClock.at(clock.instant().minus(Duration.ofMinutes(6)));
    InMemoryTransport late = InMemoryTransport.builder(cloud).clock(skewed).build();

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () ->
        late.hsm().openSession(target, unit, PortableHsmBackend.credentialOf(TestKeys.signer(TestKeys.ADMIN))));
    assertThat(e.serviceCode()).hasValue("SIGNATURE_EXPIRED");
  }

  @Test
  void retriedCommandsAreSignedAnewSoTheyAreNeverReplays() {
    InstanceTarget target = activeTarget();
    String unit = transport.cryptoUnits().listUnits(target).get(0).id();
    transport.cryptoUnits().claim(target, unit, TestKeys.pem(TestKeys.ADMIN));
    try (HsmSession session =
        transport.hsm().openSession(target, unit, PortableHsmBackend.credentialOf(TestKeys.signer(TestKeys.ADMIN)))) {
      for (int i = 0; i < 5; i++) {
        assertThat(session.listUsers()).hasSize(1);
      }
    }
  }

  @Test
  void theServiceErrorsOfTheCloudReachTheCallerUnchanged() {
    InstanceTarget target = activeTarget();
    String unit = transport.cryptoUnits().listUnits(target).get(0).id();
    transport.cryptoUnits().claim(target, unit, TestKeys.pem(TestKeys.ADMIN));

    HttpServiceException e = catchThrowableOfType(HttpServiceException.class, () ->
        transport.cryptoUnits().claim(target, unit, TestKeys.pem(TestKeys.ADMIN)));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.operation()).isEqualTo(Operation.CLAIM);
  }

  @Test
  void injectedConnectionDropsReachTheCallerAsRetryableTransportFailures() {
    InstanceTarget target = activeTarget();
    cloud.faults().on(Operation.LIST_UNITS).dropConnection();

    TransportException e = catchThrowableOfType(TransportException.class, () ->
        transport.cryptoUnits().listUnits(target));
    assertThat(e.retryable()).isTrue();
    assertThat(transport.cryptoUnits().listUnits(target)).hasSize(2);
  }

  @Test
  void thePrivateEndpointTimesOutFromOutsideThePrivateNetwork() {
    InstanceTarget publicTarget = activeTarget();
    ServiceInstance instance = cloud.snapshot(publicTarget.instanceGuid()).instance();
    InstanceTarget privateTarget = new InstanceTarget(instance.privateEndpoint(), instance.guid());

    TransportException e = catchThrowableOfType(TransportException.class, () ->
        transport.cryptoUnits().listUnits(privateTarget));
    assertThat(e.getMessage()).contains("context deadline exceeded");
    assertThat(e.remediation()).hasValue(Remediations.PRIVATE_ENDPOINT_TIMEOUT);

    InMemoryTransport inside = InMemoryTransport.builder(cloud).privateNetwork(true).build();
    assertThat(inside.cryptoUnits().listUnits(privateTarget)).hasSize(2);
  }

  @Test
  void anEndpointThatIsNotTheInstancesIsUnreachable() {
    InstanceTarget target = activeTarget();
    InstanceTarget wrong = new InstanceTarget(URI.create("https://elsewhere.example"),
        target.instanceGuid());
    assertThatThrownBy(() -> transport.cryptoUnits().listUnits(wrong))
        .isInstanceOf(TransportException.class).hasMessageContaining("elsewhere.example");
  }

  @Test
  void aClosedSessionRefusesFurtherCommands() {
    InstanceTarget target = activeTarget();
    String unit = transport.cryptoUnits().listUnits(target).get(0).id();
    transport.cryptoUnits().claim(target, unit, TestKeys.pem(TestKeys.ADMIN));
    HsmSession session =
        transport.hsm().openSession(target, unit, PortableHsmBackend.credentialOf(TestKeys.signer(TestKeys.ADMIN)));
    session.close();
    session.close();
    assertThatThrownBy(session::listUsers).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void zeroizeGoesThroughToTheCloud() {
    InstanceTarget target = activeTarget();
    String unit = transport.cryptoUnits().listUnits(target).get(0).id();
    transport.cryptoUnits().claim(target, unit, TestKeys.pem(TestKeys.ADMIN));
    transport.cryptoUnits().zeroize(target, unit);
    assertThat(transport.cryptoUnits().listUnits(target).get(0).state()).isEqualTo(UnitState.RESERVED);
  }
}
