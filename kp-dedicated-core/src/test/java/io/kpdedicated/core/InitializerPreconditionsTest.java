package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.core.UnitOutcome.Status;
import io.kpdedicated.core.fakes.FakeCloud;
import io.kpdedicated.core.fakes.FakeCloud.FaultMode;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.fakes.Fixture;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceState;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.Remediations;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitializerPreconditionsTest {
  private static final FakeSigner SIGNER = new FakeSigner();

  @TempDir
  Path dir;

  private Fixture fixture(FakeCloud cloud) {
    return new Fixture(dir, cloud, SIGNER);
  }

  @Test
  void stopsWithATypedErrorWhenProvisioningFails() {
    Fixture f = fixture(new FakeCloud().pollsUntilActive(2).becomes(InstanceState.FAILED));

    assertThatThrownBy(() -> f.builder().build().run())
        .isInstanceOfSatisfying(InstanceFailedException.class, e -> {
          assertThat(e.state()).isEqualTo(InstanceState.FAILED);
          assertThat(e.retryable()).isFalse();
          assertThat(e.remediation()).get().asString().contains("Delete the instance");
        });
    assertThat(f.listener.of(InitializationEvent.StepFailed.class))
        .extracting(InitializationEvent.StepFailed::step).containsExactly(Step.WAIT_ACTIVE);
  }

  @Test
  void timesOutWaitingForActiveReportingTheAttempts() {
    Fixture f = fixture(new FakeCloud().pollsUntilActive(1_000));

    assertThatThrownBy(() -> f.builder().waitPolicy(new WaitPolicy(Duration.ofSeconds(10),
        Duration.ofSeconds(10), 1.0, Duration.ofMinutes(1))).build().run())
        .isInstanceOfSatisfying(WaitTimeoutException.class, e -> {
          assertThat(e.attempts()).isEqualTo(7);
          assertThat(e.elapsed()).isEqualTo(Duration.ofMinutes(1));
          assertThat(e.lastState()).isEqualTo("provisioning");
          assertThat(e.getMessage()).contains("to become active").contains("7 polls");
        });
    assertThat(f.sleeper.total()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void explainsAnInstanceWithOnlyAPrivateEndpoint() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED)
        .privateEndpointOnly());

    assertThatThrownBy(() -> f.builder().build().run())
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("only a private endpoint")
        .satisfies(e -> assertThat(((InitializationException) e).remediation()).get().asString()
            .contains(Remediations.PRIVATE_ENDPOINT_TIMEOUT).contains("allowPrivateEndpoint"));
    assertThat(f.cloud.calls(Operation.LIST_UNITS, null)).isZero();
  }

  @Test
  void usesAPrivateEndpointWhenAllowed() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED)
        .privateEndpointOnly());

    InitializationResult result = f.builder().allowPrivateEndpoint(true).build().run();

    assertThat(result.target().isPrivateEndpoint()).isTrue();
    assertThat(result.succeeded()).isTrue();
  }

  @Test
  void refusesToReuseAnInstanceWithAnotherUnitCount() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));

    assertThatThrownBy(() -> f.builder().instance(InstanceSelector.createOrReuse(
        new InstanceRequest("kpd-test", "us-south", null, 3))).build().run())
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("exists with 2 crypto units, but 3 were requested");
  }

  @Test
  void doesNotCreateASecondInstanceWhenTheAnswerToCreateWasLost() {
    Fixture f = fixture(new FakeCloud());
    f.cloud.fail(Operation.CREATE_INSTANCE, null, FaultMode.AFTER,
        FakeCloud.drop(Operation.CREATE_INSTANCE, null));

    InitializationResult result = f.builder().build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(f.cloud.calls(Operation.CREATE_INSTANCE, null)).isEqualTo(1);
    assertThat(f.cloud.calls(Operation.FIND_INSTANCE, null)).isEqualTo(2);
  }

  @Test
  void reportsAnUnknownExistingInstance() {
    Fixture f = fixture(new FakeCloud());

    assertThatThrownBy(() -> f.builder().instance(InstanceSelector.existing("crn:nope")).build()
        .run()).isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
  }

  @Test
  void failsNamingTheFilesWhenOnlySomeKeysharesExistAndTouchesNothingElse() throws Exception {
    Fixture f = fixture(new FakeCloud());
    Files.writeString(f.shares(3).get(1).path(), "{}");

    assertThatThrownBy(() -> f.builder().build().run())
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("only some of the keyshare files exist")
        .hasMessageContaining("share2.json")
        .hasMessageContaining("missing").hasMessageContaining("share1.json")
        .hasMessageContaining("share3.json");
    assertThat(f.cloud.calls(Operation.FIND_INSTANCE, null)).isZero();
    assertThat(f.shares(3).get(0).path()).doesNotExist();
  }

  @Test
  void reusesACompleteKeyshareSetLeftByACrashedRun() throws Exception {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    byte[] before;
    String kcv;
    try (MasterKey key = f.writeShares(3)) {
      kcv = key.checkValue().hex();
      before = Files.readAllBytes(f.shares(3).get(0).path());
    }

    InitializationResult result = f.builder().build().run();

    assertThat(result.checkValue()).get().extracting(k -> k.text()).isEqualTo(kcv);
    assertThat(Files.readAllBytes(f.shares(3).get(0).path())).isEqualTo(before);
    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class))
        .filteredOn(e -> e.step() == Step.KEYSHARES).singleElement()
        .satisfies(e -> assertThat(e.detail()).startsWith("reused"));
  }

  @Test
  void refusesAnEarlierKeyshareSetThatDoesNotMatchTheRequest() {
    Fixture f = fixture(new FakeCloud());
    f.writeShares(3).close();

    assertThatThrownBy(() -> f.builder().masterKey(MasterKeySource.generate("mk1", 3,
        f.shares(3))).build().run())
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("they need 2 shares, not 3");
    assertThatThrownBy(() -> f.builder().masterKey(MasterKeySource.generate("mk2", 2,
        f.shares(3))).build().run())
        .hasMessageContaining("they hold master key 'mk1', not 'mk2'");
  }

  @Test
  void refusesKeysharesThatDoNotOpenBeforeTouchingAnyUnit() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    f.writeShares(3).close();
    List<KeyshareLocation> wrong = new ArrayList<>(f.shares(3));
    wrong.set(1, new KeyshareLocation(wrong.get(1).path(), Passphrase.of("not the one")));

    assertThatThrownBy(() -> f.builder().masterKey(MasterKeySource.existing(wrong)).build().run())
        .isInstanceOfSatisfying(KeyFileException.class, e -> {
          assertThat(e.reason()).isEqualTo(KeyFileException.Reason.WRONG_PASSPHRASE);
          assertThat(e.getMessage()).doesNotContain("not the one");
        });
    assertThat(f.cloud.calls(Operation.CLAIM, "unit-1")).isZero();
  }

  @Test
  void initializesFromExistingKeysharesUsingOnlyKOfThem() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    String kcv;
    try (MasterKey key = f.writeShares(3)) {
      kcv = key.checkValue().hex();
    }

    InitializationResult result = f.builder()
        .masterKey(MasterKeySource.existing(f.shares(3).subList(1, 3))).build().run();

    assertThat(result.units()).allSatisfy(u -> assertThat(u.checkValue().text()).isEqualTo(kcv));
  }

  @Test
  void generatesTheIdentityOnceAndReusesItsFileOnTheNextRun() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    Path file = dir.resolve("admin.p12");
    AdminIdentitySource generate = AdminIdentitySource.generate(file,
        Passphrase.of("identity-passphrase"), "admin1");

    f.builder().adminIdentity(generate).build().run();
    assertThat(file).exists();
    byte[] written = readAll(file);

    InitializationResult second = f.builder().adminIdentity(generate).build().run();

    assertThat(second.units()).extracting(UnitOutcome::status).containsOnly(Status.ALREADY_DONE);
    assertThat(readAll(file)).isEqualTo(written);
    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class))
        .filteredOn(e -> e.step() == Step.ADMIN_IDENTITY)
        .extracting(InitializationEvent.StepSucceeded::detail)
        .satisfiesExactly(d -> assertThat(d).startsWith("generated"),
            d -> assertThat(d).startsWith("loaded the administrator identity an earlier run"));
  }

  @Test
  void failsClearlyWhenTheIdentityFileOfAnEarlierRunDoesNotOpen() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    Path file = dir.resolve("admin.p12");
    f.builder().adminIdentity(AdminIdentitySource.generate(file, Passphrase.of("first-secret"),
        "admin1")).build().run();
    byte[] written = readAll(file);

    assertThatThrownBy(() -> f.builder().adminIdentity(AdminIdentitySource.generate(file,
        Passphrase.of("other-secret"), "admin1")).build().run())
        .isInstanceOfSatisfying(KeyFileException.class, k -> {
          assertThat(k.reason()).isEqualTo(KeyFileException.Reason.WRONG_PASSPHRASE);
          assertThat(k.file()).contains(file);
          assertThat(k.retryable()).isFalse();
        })
        .hasMessageContaining("admin.p12 exists")
        .hasMessageContaining("was refused")
        .hasMessageNotContaining("other-secret")
        .hasCauseInstanceOf(KeyFileException.class);
    assertThat(readAll(file)).isEqualTo(written);
  }

  @Test
  void savesAnUnprotectedIdentityWhenNoPassphraseIsGiven() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    Path file = dir.resolve("admin.p12");
    AdminIdentitySource generate = AdminIdentitySource.generate(file, null, "admin1");

    f.builder().adminIdentity(generate).build().run();
    InitializationResult second = f.builder().adminIdentity(generate).build().run();

    assertThat(second.succeeded()).isTrue();
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
