package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationPlan;
import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.InitializationPlan.InstanceAction;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.InitializationPlan.UnitPlan;
import io.kpdedicated.core.MasterKeyConflictException;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.PreparedMasterKey;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How what a dry run recorded becomes the plan, piece by piece. */
class PlanAssemblerTest {
  private static final CheckValue KCV = new CheckValue("ABC123");

  @TempDir
  Path dir;

  private final Reconciler.Recording rec = new Reconciler.Recording(true);

  private List<KeyshareLocation> shares(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> new KeyshareLocation(
        dir.resolve("share" + i + ".json"), Passphrase.of("passphrase-number-" + i))).toList();
  }

  private AdminIdentitySource given() {
    return AdminIdentitySource.of(new FakeSigner());
  }

  private InitializationPlan assemble(Reconciler.Execution ex,
      io.kpdedicated.KpDedicatedException problem, Set<String> targets,
      AdminIdentitySource identity, MasterKeySource keys) {
    return PlanAssembler.assemble(rec, ex, problem, "portable: test", targets, identity, keys);
  }

  private InitializationPlan assemble(AdminIdentitySource identity, MasterKeySource keys) {
    return assemble(null, null, null, identity, keys);
  }

  private void resolved(InstanceAction action) {
    InstanceResolver resolver = mock(InstanceResolver.class);
    when(resolver.action()).thenReturn(action);
    rec.resolver = resolver;
  }

  private PreparedMasterKey key(boolean offline) {
    PreparedMasterKey key = mock(PreparedMasterKey.class);
    when(key.action()).thenReturn(KeysharesAction.REUSE);
    when(key.checkedOffline()).thenReturn(offline);
    when(key.checkValue()).thenReturn(Optional.of(KCV));
    return key;
  }

  private Reconciler.Execution execution(UnitOutcome... outcomes) {
    UnitPhase phase = new UnitPhase(mock(UnitContext.class),
        new StepRunner(new Events(e -> { })), 1);
    return new Reconciler.Execution(null, List.of(outcomes), phase, null, null);
  }

  private static UnitOutcome outcome(String id, List<Step> steps) {
    return new UnitOutcome(id, UnitState.CLAIMED, UnitState.CLAIMED,
        UnitOutcome.Status.SUCCEEDED, steps, 0, null, null);
  }

  @Test
  void withoutPreparationTheIdentityIsPlannedFromItsSource() throws IOException {
    MasterKeySource keys = MasterKeySource.existing(shares(2));
    Path file = dir.resolve("admin.p12");

    assertThat(assemble(AdminIdentitySource.generate(file, null, "admin"), keys)
        .identityAction()).isEqualTo(IdentityAction.GENERATE);
    Files.writeString(file, "left by an earlier run");
    assertThat(assemble(AdminIdentitySource.generate(file, null, "admin"), keys)
        .identityAction()).isEqualTo(IdentityAction.LOAD);
    assertThat(assemble(AdminIdentitySource.load(file, null), keys).identityAction())
        .isEqualTo(IdentityAction.LOAD);
    assertThat(assemble(given(), keys).identityAction()).isEqualTo(IdentityAction.USE_GIVEN);
  }

  @Test
  void withoutPreparationTheKeysharesArePlannedFromTheFilesPresent() throws IOException {
    List<KeyshareLocation> three = shares(3);
    MasterKeySource generate = MasterKeySource.generate("mk1", 2, three);

    assertThat(assemble(given(), MasterKeySource.existing(shares(2))).keysharesAction())
        .isEqualTo(KeysharesAction.USE_GIVEN);
    assertThat(assemble(given(), generate).keysharesAction())
        .isEqualTo(KeysharesAction.GENERATE);
    Files.writeString(three.get(0).path(), "{}");
    assertThat(assemble(given(), generate).keysharesAction())
        .isEqualTo(KeysharesAction.BLOCKED);
    Files.writeString(three.get(1).path(), "{}");
    Files.writeString(three.get(2).path(), "{}");
    assertThat(assemble(given(), generate).keysharesAction())
        .isEqualTo(KeysharesAction.REUSE);
  }

  @Test
  void aPreparedIdentityWithoutKeysharesBlocksTheKeyshares() {
    AdminCredential admin = mock(AdminCredential.class);
    when(admin.action()).thenReturn(IdentityAction.LOAD);
    rec.admin = admin;

    InitializationPlan plan = assemble(AdminIdentitySource.generate(dir.resolve("a.p12"), null,
        "admin"), MasterKeySource.generate("mk1", 2, shares(3)));

    assertThat(plan.identityAction()).isEqualTo(IdentityAction.LOAD);
    assertThat(plan.keysharesAction()).isEqualTo(KeysharesAction.BLOCKED);
    assertThat(plan.checkValue()).isEmpty();
    assertThat(plan.checkedOffline()).isFalse();
  }

  @Test
  void thePreparedKeyGivesItsActionCheckValueAndOfflineCheck() {
    rec.key = key(true);

    InitializationPlan plan = assemble(given(), MasterKeySource.existing(shares(2)));

    assertThat(plan.keysharesAction()).isEqualTo(KeysharesAction.REUSE);
    assertThat(plan.checkValue()).contains(KCV);
    assertThat(plan.checkedOffline()).isTrue();
  }

  @Test
  void theInstanceIsBlockedUnlessItWasResolvedAndItsUnitsReadDespiteAProblem() {
    MasterKeySource keys = MasterKeySource.existing(shares(2));
    InitializationException problem = new InitializationException("token refused", "log in");

    assertThat(assemble(given(), keys).instanceAction()).isEqualTo(InstanceAction.BLOCKED);
    resolved(null);
    assertThat(assemble(given(), keys).instanceAction()).isEqualTo(InstanceAction.BLOCKED);
    resolved(InstanceAction.REUSE);
    assertThat(assemble(given(), keys).instanceAction()).isEqualTo(InstanceAction.REUSE);
    assertThat(assemble(null, problem, null, given(), keys).instanceAction())
        .isEqualTo(InstanceAction.BLOCKED);
    rec.units = List.of();
    assertThat(assemble(null, problem, null, given(), keys).instanceAction())
        .isEqualTo(InstanceAction.REUSE);
  }

  @Test
  void theProblemsAreTheFailureWithWhatToDoAndTheKeyConflict() {
    MasterKeySource keys = MasterKeySource.existing(shares(2));
    MasterKeyConflictException conflict = new MasterKeyConflictException(
        Map.of("unit-1", KCV), List.of(), null, null);
    Reconciler.Execution ex = new Reconciler.Execution(null, List.of(), null, null, conflict);

    assertThat(assemble(ex, new InitializationException("token refused", "log in again"), null,
        given(), keys).problems()).containsExactly("token refused (log in again)",
        conflict.getMessage());
    assertThat(assemble(null, new InitializationException("no way", null), null, given(), keys)
        .problems()).containsExactly("no way");
    assertThat(assemble(given(), keys).problems()).isEmpty();
  }

  @Test
  void eachUnitIsPlannedFromItsOutcomeWithANoteThatSaysWhy() {
    rec.key = key(false);
    rec.units = List.of(CryptoUnit.of("u1", "g", "claimed"), CryptoUnit.of("u2", "g", "claimed"),
        CryptoUnit.of("u3", "g", "claimed"), CryptoUnit.of("u4", "g", "claimed"),
        CryptoUnit.of("u5", "g", "kms-initialized"), CryptoUnit.of("u6", "g", "claimed"));
    InitializationException why = new InitializationException("refused", "zeroize it");
    Reconciler.Execution ex = execution(
        outcome("u1", List.of(Step.IMPORT_MASTER_KEY, Step.VERIFY)),
        new UnitOutcome("u2", UnitState.CLAIMED, UnitState.CLAIMED, UnitOutcome.Status.FAILED,
            List.of(), 0, null, why),
        outcome("u3", List.of()),
        outcome("u4", List.of(Step.IMPORT_MASTER_KEY)),
        outcome("u5", List.of(Step.VERIFY)));
    ex.phase.notes().put("u4", "the unit is in maintenance");

    InitializationPlan plan = assemble(ex, null, Set.of("u1", "u2", "u3", "u4", "u6"), given(),
        MasterKeySource.existing(shares(2)));

    Map<String, UnitPlan> units = new java.util.HashMap<>();
    plan.units().forEach(u -> units.put(u.unitId(), u));
    assertThat(plan.units()).extracting(UnitPlan::unitId)
        .containsExactly("u1", "u2", "u3", "u4", "u5", "u6");
    assertThat(units.get("u1").note()).startsWith("the keyshares cannot be checked offline");
    assertThat(units.get("u1").steps()).containsExactly(Step.IMPORT_MASTER_KEY, Step.VERIFY);
    assertThat(units.get("u2").note()).isEqualTo("refused (zeroize it)");
    assertThat(units.get("u2").failure()).isSameAs(why);
    assertThat(units.get("u3").note()).isEmpty();
    assertThat(units.get("u4").note()).isEqualTo("the unit is in maintenance");
    assertThat(units.get("u5").targeted()).isFalse();
    assertThat(units.get("u5").steps()).isEmpty();
    assertThat(units.get("u5").note()).isEqualTo("not targeted: left alone");
    assertThat(units.get("u6").targeted()).isTrue();
    assertThat(units.get("u6").note()).isEmpty();
    assertThat(units.get("u6").steps()).isEmpty();
    assertThat(plan.unitsKnown()).isTrue();
    assertThat(plan.problems()).isEmpty();
    assertThat(plan.backend()).isEqualTo("portable: test");
  }

  @Test
  void aKeyCheckedOfflineNeedsNoNoteAndAFailureWithoutHintIsItsMessage() {
    rec.key = key(true);
    rec.units = List.of(CryptoUnit.of("u1", "g", "claimed"), CryptoUnit.of("u2", "g", "claimed"));
    Reconciler.Execution ex = execution(outcome("u1", List.of(Step.IMPORT_MASTER_KEY)),
        new UnitOutcome("u2", UnitState.CLAIMED, UnitState.CLAIMED, UnitOutcome.Status.FAILED,
            List.of(), 0, null, new InitializationException("refused", null)));

    InitializationPlan plan = assemble(ex, null, null, given(),
        MasterKeySource.existing(shares(2)));

    assertThat(plan.unit("u1").orElseThrow().note()).isEmpty();
    assertThat(plan.unit("u1").orElseThrow().targeted()).isTrue();
    assertThat(plan.unit("u2").orElseThrow().note()).isEqualTo("refused");
  }

  @Test
  void withoutReadUnitsThePlanHasNone() {
    InitializationPlan plan = assemble(given(), MasterKeySource.existing(shares(2)));

    assertThat(plan.unitsKnown()).isFalse();
    assertThat(plan.units()).isEmpty();
    assertThat(plan.instance()).isEmpty();
  }
}
