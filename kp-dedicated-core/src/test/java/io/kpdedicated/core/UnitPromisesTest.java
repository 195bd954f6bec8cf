package io.kpdedicated.core;

import static io.kpdedicated.core.fakes.FakeCloud.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.UnitOutcome.Status;
import io.kpdedicated.core.fakes.FakeCloud;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.fakes.Fixture;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.MasterKey;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises a unit worker keeps whatever happens: a key the unit reports after an import must be
 * the expected one, every session it opens is closed, and a reused instance or keyshare set must
 * be the one requested.
 */
class UnitPromisesTest {
  private static final FakeSigner SIGNER = new FakeSigner();
  private static final KeyCheckValue FOREIGN = new KeyCheckValue("0123456789");

  @TempDir
  Path dir;

  @Test
  void aUnitThatReportsAnotherCheckValueAfterTheImportFailsAsAMismatch() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.CLAIMED, UnitState.KMS_INITIALIZED);
    f.cloud.importLoads("unit-1", FOREIGN);

    Throwable thrown = catchThrowable(() -> f.builder().build().run());

    InitializationResult result = thrown instanceof PartialFailureException p ? p.result()
        : ((MasterKeyConflictException) thrown).result().orElseThrow();
    CheckValue expected = result.checkValue().orElseThrow();
    assertThat(expected).isNotEqualTo(PortableHsmBackend.checkValueOf(FOREIGN));
    UnitOutcome bad = result.unit("unit-1").orElseThrow();
    assertThat(bad.status()).isEqualTo(Status.MISMATCH);
    assertThat(bad.failed()).isTrue();
    assertThat(bad.failure()).isInstanceOfSatisfying(KeyMismatchException.class, m -> {
      assertThat(m.expected()).isEqualTo(expected);
      assertThat(m.actual()).contains(PortableHsmBackend.checkValueOf(FOREIGN));
    });
    assertThat(bad.steps()).doesNotContain(Step.IMPORT_MASTER_KEY, Step.ADD_CRYPTO_USER,
        Step.VERIFY);
    assertThat(f.cloud.calls(Operation.IMPORT_MASTER_KEY, "unit-1")).isEqualTo(1);
    assertThat(f.cloud.calls(Operation.ADD_USER, "unit-1")).isZero();
    assertThat(result.unit("unit-2").orElseThrow().status()).isEqualTo(Status.ALREADY_DONE);
    assertThat(f.listener.of(InitializationEvent.StepSucceeded.class))
        .noneMatch(e -> e.step() == Step.IMPORT_MASTER_KEY);
    assertThat(f.listener.of(InitializationEvent.StepFailed.class))
        .anyMatch(e -> e.step() == Step.IMPORT_MASTER_KEY && "unit-1".equals(e.unitId()));
    assertThat(f.cloud.sessionsClosed()).isEqualTo(f.cloud.sessionsOpened());
  }

  @Test
  void aFreshInstanceWhoseFirstImportReportsAnotherKeyLoadsNoOtherUnit() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED), SIGNER);
    f.cloud.importLoads("unit-1", FOREIGN);
    f.cloud.importLoads("unit-2", FOREIGN);

    Throwable thrown = catchThrowable(() -> f.builder().build().run());

    assertThat(thrown).isInstanceOf(KpDedicatedException.class);
    InitializationResult result = thrown instanceof PartialFailureException p ? p.result()
        : ((MasterKeyConflictException) thrown).result().orElseThrow();
    assertThat(result.units()).filteredOn(u -> u.status() == Status.SUCCEEDED).isEmpty();
    assertThat(result.units()).anySatisfy(u -> assertThat(u.status()).isEqualTo(Status.MISMATCH));
  }

  @Test
  void closesEverySessionAfterASuccessfulRun() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED), SIGNER);

    InitializationResult result = f.builder().build().run();

    assertThat(result.succeeded()).isTrue();
    assertThat(f.cloud.sessionsOpened()).isPositive();
    assertThat(f.cloud.sessionsClosed()).isEqualTo(f.cloud.sessionsOpened());
  }

  @Test
  void closesTheSessionOfAUnitThatFails() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_AUTHORIZED, UnitState.KMS_INITIALIZED);
    f.cloud.fail(Operation.LIST_MASTER_KEYS, "unit-1",
        status(Operation.LIST_MASTER_KEYS, "unit-1", FailureKind.INVALID_REQUEST, "refused"));

    PartialFailureException e = (PartialFailureException) catchThrowable(
        () -> f.builder().build().run());

    assertThat(e.result().unit("unit-1").orElseThrow().status()).isEqualTo(Status.FAILED);
    assertThat(f.cloud.sessionsOpened()).isPositive();
    assertThat(f.cloud.sessionsClosed()).isEqualTo(f.cloud.sessionsOpened());
  }

  @Test
  void closesAndReopensTheSessionAfterARetriedFailure() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_AUTHORIZED,
        UnitState.KMS_INITIALIZED);
    f.cloud.fail(Operation.LIST_MASTER_KEYS, "unit-1",
        status(Operation.LIST_MASTER_KEYS, "unit-1", FailureKind.UNAVAILABLE, "busy"));

    InitializationResult result = f.builder().build().run();

    assertThat(result.succeeded()).isTrue();
    // the survey's session, the session that failed (closed), the one that finished the unit
    assertThat(f.cloud.calls(Operation.OPEN_SESSION, "unit-1")).isEqualTo(3);
    assertThat(f.cloud.sessionsClosed()).isEqualTo(f.cloud.sessionsOpened());
  }

  @Test
  void closesTheSessionOfAUnitHoldingAForeignKey() {
    Fixture f = Fixture.resumable(dir, SIGNER, UnitState.KMS_INITIALIZED, UnitState.KMS_INITIALIZED);
    f.cloud.unit("unit-1").keys.clear();
    f.cloud.holdsKey("unit-1", "other", FOREIGN);

    catchThrowable(() -> f.builder().build().run());

    assertThat(f.cloud.sessionsOpened()).isPositive();
    assertThat(f.cloud.sessionsClosed()).isEqualTo(f.cloud.sessionsOpened());
  }

  @Test
  void refusesToReuseAnInstanceInAnotherRegion() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED), SIGNER);

    assertThatThrownBy(() -> f.builder().instance(InstanceSelector.createOrReuse(
        InstanceRequest.named("kpd-test").withRegion("eu-de")))
        .supportedRegions(Set.of("us-south", "eu-de")).build().run())
        .isInstanceOfSatisfying(InitializationException.class, e -> {
          assertThat(e).hasMessageContaining("exists in region us-south, but region eu-de was"
              + " requested");
          assertThat(e.remediation()).get().asString().contains("Request region us-south");
          assertThat(e.retryable()).isFalse();
        });
    assertThat(f.cloud.calls(Operation.LIST_UNITS, null)).isZero();
    assertThat(f.cloud.calls(Operation.CLAIM, "unit-1")).isZero();
  }

  @Test
  void reusesAnInstanceWhoseRegionDiffersOnlyInCase() {
    Fixture f = new Fixture(dir, FakeCloud.withActiveInstance(UnitState.RESERVED,
        UnitState.RESERVED), SIGNER);

    InitializationResult result = f.builder().instance(InstanceSelector.createOrReuse(
        InstanceRequest.named("kpd-test").withRegion("US-South"))).build().run();

    assertThat(result.succeeded()).isTrue();
  }

  @Test
  void refusesAnEarlierKeyshareSetOfAnotherSize() {
    Fixture f = new Fixture(dir, new FakeCloud(), SIGNER);
    try (MasterKey key = MasterKey.generate("mk1", f.random)) {
      Keyshares.write(key, 2, f.shares(4), Fixture.cheapWrites());
    }

    // all three requested files exist, but they belong to a set of four
    assertThatThrownBy(() -> f.builder().masterKey(MasterKeySource.generate("mk1", 2,
        f.shares(3))).build().run())
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("they belong to a set of 4 shares, not 3")
        .hasMessageNotContaining("they need")
        .hasMessageNotContaining("they hold master key");
    assertThat(f.cloud.calls(Operation.FIND_INSTANCE, null)).isZero();
  }

  @Test
  void refusesAnEarlierKeyshareSetWithOnlyAnotherThreshold() {
    Fixture f = new Fixture(dir, new FakeCloud(), SIGNER);
    f.writeShares(3).close();

    assertThatThrownBy(() -> f.builder().masterKey(MasterKeySource.generate("mk1", 3,
        f.shares(3))).build().run())
        .isInstanceOf(InitializationException.class)
        .hasMessageContaining("they need 2 shares, not 3")
        .hasMessageNotContaining("they belong to a set")
        .hasMessageNotContaining("they hold master key");
  }
}
