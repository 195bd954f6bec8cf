package io.kpdedicated.core;

import static io.kpdedicated.core.fakes.FakeCloud.drop;
import static io.kpdedicated.core.fakes.FakeCloud.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpdedicated.core.UnitOutcome.Status;
import io.kpdedicated.core.fakes.FakeCloud;
import io.kpdedicated.core.fakes.FakeCloud.FaultMode;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.fakes.Fixture;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitializerRunTest {
  private static final FakeSigner SIGNER = new FakeSigner();
  private static final FakeSigner STRANGER = new FakeSigner();
  private static final KeyCheckValue FOREIGN = new KeyCheckValue("0123456789");

  @TempDir
  Path dir;

  private Fixture fixture(FakeCloud cloud) {
    return new Fixture(dir, cloud, SIGNER);
  }

  @Test
  void initializesAFreshInstanceSoEveryUnitHoldsTheSameKeyAndTheCryptoUser() {
    Fixture f = fixture(new FakeCloud().pollsUntilActive(3));

    InitializationResult result = f.builder().build().run();

    assertThat(result.units()).hasSize(2).allSatisfy(u -> {
      assertThat(u.status()).isEqualTo(Status.SUCCEEDED);
      assertThat(u.initialState()).isEqualTo(UnitState.RESERVED);
      assertThat(u.finalState()).isEqualTo(UnitState.KMS_INITIALIZED);
      assertThat(u.steps()).containsExactly(Step.CLAIM, Step.IMPORT_MASTER_KEY,
          Step.ADD_CRYPTO_USER, Step.VERIFY);
      assertThat(u.checkValue()).isEqualTo(result.checkValue().orElseThrow());
    });
    for (String id : List.of("unit-1", "unit-2")) {
      FakeCloud.Unit unit = f.cloud.unit(id);
      assertThat(unit.state).isEqualTo(UnitState.KMS_INITIALIZED);
      assertThat(unit.keys).singleElement().extracting(k -> k.checkValue())
          .isEqualTo(result.checkValue().orElseThrow());
      assertThat(unit.users).singleElement().satisfies(u ->
          assertThat(u.attributes()).containsEntry("CXI_GROUP", "SLOT_0007"));
    }
    assertThat(f.shares(3)).allSatisfy(s -> assertThat(s.path()).exists());
    assertThat(result.instance()).get().extracting(i -> i.guid()).isEqualTo(FakeCloud.GUID);
    assertThat(result.target().endpoint()).isEqualTo(FakeCloud.ENDPOINT);
    assertThat(f.cloud.calls(Operation.CREATE_INSTANCE, null)).isEqualTo(1);
    // polled until active: waits of 5 s then 10 s on the fake clock
    assertThat(f.sleeper.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  @Test
  void aFreshInitOfThreeUnitsMakes32CallsAndListsEachUnitsKeysTwice() {
    Fixture f = fixture(new FakeCloud());

    f.builder().instance(InstanceSelector.createOrReuse(
        new InstanceRequest("kpd-test", InstanceRequest.DEFAULT_REGION, null, 3))).build().run();

    // 4 instance calls (find, create, list units, crypto-user metadata), 7 per unit (claim,
    // session, list keys, import, list users, add user, list units), and the final check: list
    // units, then a session and a key listing per unit. The unit's VERIFY answers from the listing
    // made before its import (35 calls before).
    List<String> log = f.cloud.log();
    assertThat(log).hasSize(4 + 3 * 7 + 1 + 3 * 2);
    for (String id : List.of("unit-1", "unit-2", "unit-3")) {
      assertThat(f.cloud.calls(Operation.LIST_MASTER_KEYS, id)).isEqualTo(2);
      assertThat(f.cloud.calls(Operation.OPEN_SESSION, id)).isEqualTo(2);
    }
    // one key per instance: after the last import, every unit is read again
    int lastImport = List.of("unit-1", "unit-2", "unit-3").stream()
        .mapToInt(id -> log.lastIndexOf("import-master-key:" + id)).max().orElseThrow();
    assertThat(log.subList(lastImport, log.size())).contains("list-master-keys:unit-1",
        "list-master-keys:unit-2", "list-master-keys:unit-3");
    assertThat(log.subList(log.size() - 7, log.size())).containsExactly("list-units:*",
        "open-session:unit-1", "list-master-keys:unit-1", "open-session:unit-2",
        "list-master-keys:unit-2", "open-session:unit-3", "list-master-keys:unit-3");
    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class))
        .filteredOn(e -> e.step() == Step.VERIFY)
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.detail()).endsWith("(as read when loading it)"));
  }

  @Test
  void aUnitThatAlreadyHoldsTheKeyIsVerifiedByReadingIt() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED,
        UnitState.KMS_INITIALIZED);

    InitializationResult result = f.builder().build().run();

    assertThat(result.unit("unit-1").orElseThrow().steps()).containsExactly(Step.VERIFY);
    assertThat(f.cloud.calls(Operation.LIST_MASTER_KEYS, "unit-1")).isEqualTo(1);
  }

  @Test
  void aSecondRunFindsEverythingDoneAndOnlyVerifies() {
    Fixture f = fixture(new FakeCloud());
    DedicatedInitializer init = f.builder().build();
    InitializationResult first = init.run();

    InitializationResult second = init.run();

    assertThat(second.units()).allSatisfy(u -> {
      assertThat(u.status()).isEqualTo(Status.ALREADY_DONE);
      assertThat(u.steps()).containsExactly(Step.VERIFY);
    });
    assertThat(second.checkValue()).isEqualTo(first.checkValue());
    assertThat(f.cloud.calls(Operation.CREATE_INSTANCE, null)).isEqualTo(1);
    assertThat(f.cloud.calls(Operation.CLAIM, "unit-1")).isEqualTo(1);
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-1")).isEqualTo(1);
    assertThat(f.cloud.calls(Operation.ADD_USER, "unit-2")).isEqualTo(1);
  }

  /** Prepares keyshares of a known key and a cloud whose units are in the given states. */
  private Fixture resumable(UnitState... states) {
    return Fixture.resumable(dir, SIGNER, states);
  }

  @Test
  void resumesAMixOfStatesDoingOnlyWhatEachUnitStillNeeds() {
    Fixture f = resumable(UnitState.RESERVED, UnitState.CLAIMED, UnitState.INITIALIZED,
        UnitState.KMS_AUTHORIZED, UnitState.KMS_INITIALIZED);

    InitializationResult result = f.builder()
        .instance(InstanceSelector.existing(FakeCloud.CRN)).build().run();

    assertThat(result.units()).extracting(UnitOutcome::steps).containsExactly(
        List.of(Step.CLAIM, Step.IMPORT_MASTER_KEY, Step.ADD_CRYPTO_USER, Step.VERIFY),
        List.of(Step.IMPORT_MASTER_KEY, Step.ADD_CRYPTO_USER, Step.VERIFY),
        List.of(Step.VERIFY, Step.ADD_CRYPTO_USER),
        List.of(Step.IMPORT_MASTER_KEY, Step.VERIFY),
        List.of(Step.VERIFY));
    assertThat(result.units()).extracting(UnitOutcome::status).containsExactly(Status.SUCCEEDED,
        Status.SUCCEEDED, Status.SUCCEEDED, Status.SUCCEEDED, Status.ALREADY_DONE);
    assertThat(result.units()).extracting(UnitOutcome::finalState)
        .containsOnly(UnitState.KMS_INITIALIZED);
    // the Go client's two resume flaws: initialized gets its user, kms-authorized no second add
    assertThat(f.cloud.calls(Operation.ADD_USER, "unit-3")).isEqualTo(1);
    assertThat(f.cloud.calls(Operation.ADD_USER, "unit-4")).isZero();
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-4")).isEqualTo(1);
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-3")).isZero();
    assertThat(f.cloud.calls(Operation.CLAIM, "unit-2")).isZero();
  }

  @Test
  void skipsTheImportWhenTheUnitAlreadyHoldsTheKeyAfterALostAnswer() {
    Fixture f = resumable(UnitState.CLAIMED, UnitState.CLAIMED);
    f.cloud.fail(Operation.IMPORT_MASTER_KEY, "unit-1", FaultMode.AFTER,
        drop(Operation.IMPORT_MASTER_KEY, "unit-1"));

    InitializationResult result = f.builder().build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-1")).isEqualTo(1);
    assertThat(f.listener.of(InitializationEvent.StepSkipped.class))
        .anySatisfy(e -> {
          assertThat(e.step()).isEqualTo(Step.IMPORT_MASTER_KEY);
          assertThat(e.unitId()).isEqualTo("unit-1");
          assertThat(e.reason()).contains("already holds the master key");
        });
  }

  @Test
  void countsAClaimWhoseAnswerWasLostAsDone() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    f.cloud.fail(Operation.CLAIM, "unit-2", FaultMode.AFTER, drop(Operation.CLAIM, "unit-2"));

    InitializationResult result = f.builder().build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(f.cloud.calls(Operation.CLAIM, "unit-2")).isEqualTo(2);
    assertThat(result.unit("unit-2").orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
  }

  @Test
  void addsTheCryptoUserOnlyOnceWhenTheAnswerToTheAddWasLost() {
    Fixture f = resumable(UnitState.INITIALIZED, UnitState.KMS_INITIALIZED);
    f.cloud.fail(Operation.ADD_USER, "unit-1", FaultMode.AFTER, drop(Operation.ADD_USER, "unit-1"));

    InitializationResult result = f.builder().build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(f.cloud.unit("unit-1").users).hasSize(1);
    assertThat(f.cloud.calls(Operation.ADD_USER, "unit-1")).isEqualTo(1);
  }

  @Test
  void reportsAUnitClaimedBySomeoneElseAndFinishesTheOthers() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.CLAIMED));
    f.cloud.claimedBy("unit-2", STRANGER);

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().build().run());

    UnitOutcome bad = e.result().unit("unit-2").orElseThrow();
    assertThat(bad.status()).isEqualTo(Status.FAILED);
    assertThat(bad.failure()).isInstanceOf(InitializationException.class)
        .hasMessageContaining("crypto unit unit-2")
        .hasMessageContaining("different administrator");
    assertThat(bad.failure().remediation()).get().asString().contains("zeroize");
    assertThat(bad.failure().retryable()).isFalse();
    assertThat(e.result().unit("unit-1").orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-2")).isZero();
    assertThat(e.retryable()).isFalse();
    assertThat(f.listener.of(InitializationEvent.UnitFailed.class))
        .extracting(InitializationEvent.UnitFailed::unitId).containsExactly("unit-2");
  }

  @Test
  void refusesToLoadASecondKeyAndReportsTheUnitThatHoldsTheFirst() {
    Fixture f = resumable(UnitState.CLAIMED, UnitState.KMS_INITIALIZED);
    f.cloud.unit("unit-2").keys.clear();
    f.cloud.holdsKey("unit-2", "other", FOREIGN);

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().build().run());

    UnitOutcome refused = e.result().unit("unit-1").orElseThrow();
    assertThat(refused.status()).isEqualTo(Status.FAILED);
    assertThat(refused.failure()).isInstanceOfSatisfying(MasterKeyConflictException.class, c -> {
      assertThat(c.unitKeys()).containsEntry("unit-2", PortableHsmBackend.checkValueOf(FOREIGN));
      assertThat(c.expected()).isEqualTo(e.result().checkValue());
      assertThat(c.getMessage()).contains("unit-2", FOREIGN.hex(),
          e.result().checkValue().orElseThrow().text());
      assertThat(c.remediation()).get().asString().contains("zeroize");
      assertThat(c.retryable()).isFalse();
    });
    UnitOutcome foreign = e.result().unit("unit-2").orElseThrow();
    assertThat(foreign.status()).isEqualTo(Status.MISMATCH);
    assertThat(foreign.failure()).isInstanceOfSatisfying(KeyMismatchException.class,
        m -> assertThat(m.actual()).contains(PortableHsmBackend.checkValueOf(FOREIGN)));
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-1")).isZero();
    assertThat(f.cloud.calls(Operation.OPEN_SESSION, "unit-1")).isZero();
    assertThat(f.cloud.calls(Operation.ADD_USER, "unit-1")).isZero();
    assertThat(f.cloud.unit("unit-2").keys).extracting(k -> k.checkValue())
        .containsExactly(PortableHsmBackend.checkValueOf(FOREIGN));
    assertThat(e).hasMessageContaining("2 of 2 crypto units were not initialized");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void reportsAMismatchedKeyAndNeverOverwritesIt() {
    Fixture f = resumable(UnitState.KMS_INITIALIZED, UnitState.KMS_INITIALIZED);
    for (String id : List.of("unit-1", "unit-2")) {
      f.cloud.unit(id).keys.clear();
      f.cloud.holdsKey(id, "other", FOREIGN);
    }

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().build().run());

    assertThat(e.result().units()).allSatisfy(u -> {
      assertThat(u.status()).isEqualTo(Status.MISMATCH);
      assertThat(u.failure()).isInstanceOfSatisfying(KeyMismatchException.class, m -> {
        assertThat(m.actual()).contains(PortableHsmBackend.checkValueOf(FOREIGN));
        assertThat(m.expected()).isEqualTo(e.result().checkValue().orElseThrow());
      });
    });
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-1")).isZero();
    assertThat(e).hasMessageContaining("2 of 2 crypto units were not initialized");
  }

  @Test
  void doesNotAddTheCryptoUserToAnInitializedUnitWithAForeignKey() {
    Fixture f = resumable(UnitState.INITIALIZED, UnitState.KMS_INITIALIZED);
    f.cloud.unit("unit-1").keys.clear();
    f.cloud.holdsKey("unit-1", "other", FOREIGN);

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().build().run());

    assertThat(e.result().unit("unit-1").orElseThrow().status()).isEqualTo(Status.MISMATCH);
    assertThat(f.cloud.calls(Operation.ADD_USER, "unit-1")).isZero();
  }

  @Test
  void retriesRetryableFailuresWithBackoffAndPublishesTheRetries() {
    Fixture f = resumable(UnitState.CLAIMED, UnitState.KMS_INITIALIZED);
    f.cloud.fail(Operation.IMPORT_MASTER_KEY, "unit-1",
        status(Operation.IMPORT_MASTER_KEY, "unit-1", FailureKind.UNAVAILABLE, "busy"));
    f.cloud.fail(Operation.IMPORT_MASTER_KEY, "unit-1",
        ServiceException.builder(Operation.IMPORT_MASTER_KEY, FailureKind.RATE_LIMITED, "slow down").unitId("unit-1")
            .retryAfter(Duration.ofSeconds(3)).build());

    InitializationResult result = f.builder().build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.unit("unit-1").orElseThrow().attempts()).isGreaterThanOrEqualTo(3);
    assertThat(f.listener.of(InitializationEvent.Retrying.class))
        .extracting(InitializationEvent.Retrying::attempt, InitializationEvent.Retrying::delay)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, Duration.ofMillis(100)),
            org.assertj.core.groups.Tuple.tuple(2, Duration.ofSeconds(3)));
    assertThat(f.sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(3));
  }

  @Test
  void waitsForAUnitInMaintenanceAndThenFinishesIt() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    f.cloud.maintenance("unit-2", 3);

    InitializationResult result = f.builder().build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(result.unit("unit-2").orElseThrow().finalState())
        .isEqualTo(UnitState.KMS_INITIALIZED);
    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class))
        .anySatisfy(e -> assertThat(e.step()).isEqualTo(Step.WAIT_MAINTENANCE));
  }

  @Test
  void waitsOutMaintenanceThatStartsMidwayAndThenDoesWhatIsLeft() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    // after the claim: 4 failing import attempts + 1 re-list + 3 polls see maintenance
    f.cloud.maintenanceAfter(Operation.CLAIM, "unit-1", 8);

    InitializationResult result = f.builder().build().run();

    UnitOutcome unit = result.unit("unit-1").orElseThrow();
    assertThat(unit.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(unit.steps()).containsExactly(Step.CLAIM, Step.WAIT_MAINTENANCE,
        Step.IMPORT_MASTER_KEY, Step.ADD_CRYPTO_USER, Step.VERIFY);
    assertThat(f.cloud.calls(Operation.CLAIM, "unit-1")).isEqualTo(1);
    assertThat(f.listener.of(InitializationEvent.Waiting.class))
        .filteredOn(e -> "unit-1".equals(e.unitId()))
        .extracting(InitializationEvent.Waiting::state).containsOnly("maintenance");
  }

  @Test
  void givesUpOnAUnitThatStaysInMaintenanceBeyondItsBudget() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    f.cloud.maintenance("unit-1", 1000);

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().build().run());

    UnitOutcome stuck = e.result().unit("unit-1").orElseThrow();
    assertThat(stuck.status()).isEqualTo(Status.FAILED);
    assertThat(stuck.failure()).isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining("crypto unit unit-1 to leave maintenance");
    assertThat(stuck.failure().retryable()).isTrue();
    assertThat(e.retryable()).isTrue();
    assertThat(e.result().unit("unit-2").orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
  }

  @Test
  void aSecondRunFinishesOnlyWhatThePartiallyFailedFirstRunLeft() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));
    f.cloud.fail(Operation.ADD_USER, "unit-2",
        status(Operation.ADD_USER, "unit-2", FailureKind.INVALID_REQUEST, "bad request"));
    DedicatedInitializer init = f.builder().build();

    PartialFailureException first = catchThrowableOfType(PartialFailureException.class, init::run);
    assertThat(first.result().unit("unit-2").orElseThrow().status()).isEqualTo(Status.FAILED);
    assertThat(first.result().unit("unit-2").orElseThrow().finalState())
        .isEqualTo(UnitState.INITIALIZED);

    InitializationResult second = init.run();

    assertThat(second.unit("unit-1").orElseThrow().status()).isEqualTo(Status.ALREADY_DONE);
    assertThat(second.unit("unit-2").orElseThrow().steps())
        .containsExactly(Step.VERIFY, Step.ADD_CRYPTO_USER);
    assertThat(f.cloud.calls(Operation.CLAIM, "unit-2")).isEqualTo(1);
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-2")).isEqualTo(1);
    assertThat(second.checkValue()).isEqualTo(first.result().checkValue());
  }

  @Test
  void worksOnlyOnTheTargetedUnits() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED,
        UnitState.RESERVED));

    InitializationResult result = f.builder().instance(InstanceSelector.target(
        new InstanceTarget(FakeCloud.ENDPOINT, FakeCloud.GUID)))
        .targetUnits(Set.of("unit-3")).build().run();

    assertThat(result.units()).extracting(UnitOutcome::status)
        .containsExactly(Status.NOT_TARGETED, Status.NOT_TARGETED, Status.SUCCEEDED);
    assertThat(f.cloud.unit("unit-1").state).isEqualTo(UnitState.RESERVED);
    assertThat(f.cloud.calls(Operation.CLAIM, "unit-1")).isZero();
  }

  @Test
  void refusesATargetTheInstanceDoesNotHaveBeforeTouchingAnyUnit() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));

    assertThatThrownBy(() -> f.builder().targetUnits(Set.of("unit-1", "unit-9")).build().run())
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("[unit-9]").hasMessageContaining("[unit-1, unit-2]");
    assertThat(f.cloud.calls(Operation.CLAIM, "unit-1")).isZero();
  }

  @Test
  void reportsUnitsThatCannotBeInitializedWithWhatToDo() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.MARKED_FOR_DEL));

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().build().run());

    UnitOutcome gone = e.result().unit("unit-2").orElseThrow();
    assertThat(gone.status()).isEqualTo(Status.FAILED);
    assertThat(gone.failure()).hasMessageContaining("'marked-for-del'");
    assertThat(gone.failure().remediation()).get().asString().contains("run again");
    assertThat(e.result().unit("unit-1").orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
  }

  @Test
  void publishesStepEventsAndEndsWithFinished() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));

    InitializationResult result = f.builder().build().run();

    List<InitializationEvent> events = f.listener.events();
    assertThat(events.get(0)).isEqualTo(new InitializationEvent.StepStarted(Step.ADMIN_IDENTITY,
        null));
    assertThat(events.get(events.size() - 1)).isEqualTo(new InitializationEvent.Finished(result));
    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class))
        .filteredOn(e -> e.unitId() == null).extracting(InitializationEvent.StepSucceeded::step)
        .containsExactly(Step.ADMIN_IDENTITY, Step.KEYSHARES, Step.PROVISION,
            Step.RESOLVE_ENDPOINT, Step.LIST_UNITS, Step.SURVEY_KEYS, Step.VERIFY_INSTANCE);
    assertThat(result.instanceSteps()).containsExactly(Step.ADMIN_IDENTITY, Step.KEYSHARES,
        Step.PROVISION, Step.RESOLVE_ENDPOINT, Step.LIST_UNITS, Step.SURVEY_KEYS,
        Step.VERIFY_INSTANCE);
    for (String id : List.of("unit-1", "unit-2")) {
      assertThat(f.listener.of(InitializationEvent.StepSucceeded.class))
          .filteredOn(e -> id.equals(e.unitId()))
          .extracting(InitializationEvent.StepSucceeded::step)
          .containsExactly(Step.CLAIM, Step.IMPORT_MASTER_KEY, Step.ADD_CRYPTO_USER, Step.VERIFY);
    }
    assertThat(f.listener.of(InitializationEvent.UnitFinished.class)).hasSize(2);
  }

  @Test
  void aThrowingListenerDoesNotBreakTheRun() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED));

    InitializationResult result = f.builder().listener(e -> {
      throw new IllegalStateException("listener bug");
    }).build().run();

    assertThat(result.succeeded()).isTrue();
  }

  @Test
  void keepsPassphrasesOutOfEventsResultsAndErrors() {
    Fixture f = fixture(FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.CLAIMED));
    f.cloud.claimedBy("unit-2", STRANGER);

    PartialFailureException e = catchThrowableOfType(PartialFailureException.class,
        () -> f.builder().build().run());

    StringBuilder everything = new StringBuilder(e.toString()).append(e.result());
    f.listener.events().forEach(ev -> everything.append(ev));
    assertThat(everything.toString()).doesNotContain(Fixture.PASSPHRASE_PREFIX);
  }

  @Test
  void worksOnUnitsConcurrently() throws Exception {
    FakeCloud cloud = FakeCloud.withActiveInstance(UnitState.RESERVED, UnitState.RESERVED,
        UnitState.RESERVED);
    // The first unit takes the master key alone (one key per instance); the other two go together.
    java.util.concurrent.CyclicBarrier theOtherTwo = new java.util.concurrent.CyclicBarrier(2);
    io.kpdedicated.core.spi.DedicatedTransport gated = new io.kpdedicated.core.spi.DedicatedTransport() {
      @Override
      public io.kpdedicated.core.spi.ProvisioningApi provisioning() {
        return cloud;
      }

      @Override
      public io.kpdedicated.core.spi.CryptoUnitApi cryptoUnits() {
        return new DelegatingUnits(cloud) {
          @Override
          public void claim(io.kpdedicated.core.model.InstanceTarget t, String unitId, String pem) {
            if (!unitId.equals("unit-1")) {
              try {
                theOtherTwo.await(30, java.util.concurrent.TimeUnit.SECONDS); // both at once
              } catch (Exception e) {
                throw new IllegalStateException("claims did not run concurrently", e);
              }
            }
            super.claim(t, unitId, pem);
          }
        };
      }

      @Override
      public io.kpdedicated.core.spi.HsmBackend hsm() {
        return cloud.hsm();
      }
    };
    Fixture f = fixture(cloud);

    InitializationResult result = f.builder().transport(gated).concurrency(3)
        .instance(InstanceSelector.createOrReuse(new InstanceRequest("kpd-test", "us-south", null,
            3)))
        .build().run();

    assertThat(result.succeeded()).isTrue();
  }

  /** Forwards every crypto-unit call to another implementation. */
  static class DelegatingUnits implements io.kpdedicated.core.spi.CryptoUnitApi {
    private final io.kpdedicated.core.spi.CryptoUnitApi d;

    DelegatingUnits(io.kpdedicated.core.spi.CryptoUnitApi d) {
      this.d = d;
    }

    @Override
    public List<io.kpdedicated.core.model.CryptoUnit> listUnits(
        io.kpdedicated.core.model.InstanceTarget t) {
      return d.listUnits(t);
    }

    @Override
    public void claim(io.kpdedicated.core.model.InstanceTarget t, String unitId, String pem) {
      d.claim(t, unitId, pem);
    }

    @Override
    public void zeroize(io.kpdedicated.core.model.InstanceTarget t, String unitId) {
      d.zeroize(t, unitId);
    }

    @Override
    public io.kpdedicated.core.model.CryptoUserMetadata cryptoUserMetadata(
        io.kpdedicated.core.model.InstanceTarget t) {
      return d.cryptoUserMetadata(t);
    }
  }
}
