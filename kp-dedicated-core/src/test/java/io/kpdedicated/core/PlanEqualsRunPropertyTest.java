package io.kpdedicated.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationPlan.UnitPlan;
import io.kpdedicated.core.fakes.FakeCloud;
import io.kpdedicated.core.fakes.FakeSigner;
import io.kpdedicated.core.fakes.Fixture;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plan() is run() without effects: for random mixes of unit states, foreign keys, units claimed by
 * another administrator, targets and crash points of an earlier run, the plan made just before a
 * run lists exactly the instance steps and the per-unit steps the run then performs, and predicts
 * exactly which units fail.
 */
class PlanEqualsRunPropertyTest {
  private static final int CASES = 500;
  private static final FakeSigner US = new FakeSigner();
  private static final FakeSigner SOMEONE_ELSE = new FakeSigner();
  private static final KeyCheckValue FOREIGN = new KeyCheckValue("0123456789");

  /** What a unit holds when the case starts. */
  private enum Mix {
    RESERVED, CLAIMED_OURS, CLAIMED_OTHER, INITIALIZED_OURS, INITIALIZED_FOREIGN,
    KMS_AUTHORIZED_OURS, KMS_INITIALIZED_OURS, KMS_INITIALIZED_FOREIGN, KMS_INITIALIZED_OTHER,
    MARKED_FOR_DEL, ZEROIZED, UNKNOWN
  }

  @TempDir
  Path dir;

  @Test
  void thePlanListsTheStepsTheRunPerformsForFiveHundredRandomCases() throws Exception {
    long seed = Long.getLong("kpd.property.seed", 20250301L);
    Random random = new Random(seed);
    int withCrash = 0;
    int withFailures = 0;
    for (int c = 0; c < CASES; c++) {
      Path caseDir = Files.createDirectories(dir.resolve("case-" + c));
      Case k = new Case(random, caseDir);
      withCrash += k.crashAfter > 0 ? 1 : 0;
      withFailures += k.check("seed " + seed + " case " + c) ? 1 : 0;
    }
    assertThat(withCrash).as("cases with a crashed earlier run").isGreaterThan(CASES / 3);
    assertThat(withFailures).as("cases where some unit fails").isGreaterThan(CASES / 5);
  }

  private static final class Case {
    final Fixture f;
    final List<Mix> mixes = new ArrayList<>();
    final int crashAfter;
    final boolean lastAnswerLost;
    final Set<String> targets;
    final boolean freshKey;

    Case(Random random, Path dir) {
      int n = 1 + random.nextInt(3);
      UnitState[] states = new UnitState[n];
      for (int i = 0; i < n; i++) {
        Mix m = random.nextInt(3) == 0 ? Mix.RESERVED
            : Mix.values()[random.nextInt(Mix.values().length)];
        mixes.add(m);
        states[i] = stateOf(m);
      }
      f = new Fixture(dir, FakeCloud.withActiveInstance(states), US);
      freshKey = random.nextInt(5) == 0;
      KeyCheckValue ours;
      try (MasterKey key = f.writeShares(3)) {
        ours = key.checkValue();
      }
      if (freshKey) {
        for (var s : f.shares(3)) {
          try {
            Files.delete(s.path());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        arrange("unit-" + (i + 1), mixes.get(i), ours);
      }
      crashAfter = random.nextInt(2) == 0 ? 0 : 1 + random.nextInt(25);
      lastAnswerLost = random.nextBoolean();
      if (random.nextInt(5) == 0) {
        Set<String> t = new HashSet<>();
        for (int i = 1; i <= n; i++) {
          if (random.nextBoolean()) {
            t.add("unit-" + i);
          }
        }
        targets = t.isEmpty() ? null : t;
      } else {
        targets = null;
      }
    }

    private static UnitState stateOf(Mix m) {
      return switch (m) {
        case RESERVED -> UnitState.RESERVED;
        case CLAIMED_OURS, CLAIMED_OTHER -> UnitState.CLAIMED;
        case INITIALIZED_OURS, INITIALIZED_FOREIGN -> UnitState.INITIALIZED;
        case KMS_AUTHORIZED_OURS -> UnitState.KMS_AUTHORIZED;
        case KMS_INITIALIZED_OURS, KMS_INITIALIZED_FOREIGN, KMS_INITIALIZED_OTHER ->
            UnitState.KMS_INITIALIZED;
        case MARKED_FOR_DEL -> UnitState.MARKED_FOR_DEL;
        case ZEROIZED -> UnitState.ZEROIZED;
        case UNKNOWN -> UnitState.UNKNOWN;
      };
    }

    private void arrange(String id, Mix m, KeyCheckValue ours) {
      switch (m) {
        case CLAIMED_OURS, KMS_AUTHORIZED_OURS, INITIALIZED_OURS, INITIALIZED_FOREIGN,
            KMS_INITIALIZED_OURS, KMS_INITIALIZED_FOREIGN -> f.cloud.claimedBy(id, US);
        case CLAIMED_OTHER, KMS_INITIALIZED_OTHER -> f.cloud.claimedBy(id, SOMEONE_ELSE);
        default -> { }
      }
      switch (m) {
        case INITIALIZED_OURS, KMS_INITIALIZED_OURS, KMS_INITIALIZED_OTHER ->
            f.cloud.holdsKey(id, "mk1", ours);
        case INITIALIZED_FOREIGN, KMS_INITIALIZED_FOREIGN -> f.cloud.holdsKey(id, "other", FOREIGN);
        default -> { }
      }
      if (m == Mix.KMS_AUTHORIZED_OURS || m.name().startsWith("KMS_INITIALIZED")) {
        f.cloud.hasCryptoUser(id);
      }
    }

    private DedicatedInitializer initializer() {
      DedicatedInitializer.Builder b = f.builder().kdfCost(KdfCost.forTestsOnly());
      if (targets != null) {
        b.targetUnits(targets);
      }
      return b.build();
    }

    /** Returns whether some unit (or the run) failed in this case. */
    boolean check(String name) {
      DedicatedInitializer init = initializer();
      if (crashAfter > 0) {
        f.cloud.crashAfter(crashAfter, lastAnswerLost);
        try {
          init.run();
        } catch (RuntimeException crashed) {
          // the earlier run died here; what it left is the starting point
        }
        f.cloud.noCrash();
      }
      InitializationPlan plan = init.plan();
      InitializationResult result;
      KpDedicatedException stopped = null;
      try {
        result = init.run();
      } catch (PartialFailureException e) {
        result = e.result();
      } catch (MasterKeyConflictException e) {
        result = e.result().orElseThrow();
      } catch (KpDedicatedException e) {
        result = null;
        stopped = e;
      }
      String what = name + " " + mixes + " targets=" + targets + " crash=" + crashAfter
          + (lastAnswerLost ? "+lost" : "") + (freshKey ? " fresh key" : "") + "\nplan: " + plan;
      if (result == null) {
        assertThat(plan.problems()).as(what).isNotEmpty();
        assertThat(plan.problems().get(0)).as(what).startsWith(stopped.getMessage());
        return true;
      }
      assertThat(plan.problems()).as(what).isEmpty();
      assertThat(plan.instanceSteps()).as(what).isEqualTo(result.instanceSteps());
      assertThat(plan.units()).as(what).hasSameSizeAs(result.units());
      boolean failed = false;
      for (UnitOutcome outcome : result.units()) {
        UnitPlan p = plan.unit(outcome.unitId()).orElseThrow();
        assertThat(p.steps()).as(what + "\nunit " + outcome.unitId()).isEqualTo(outcome.steps());
        assertThat(p.willFail()).as(what + "\nunit " + outcome.unitId() + " " + outcome)
            .isEqualTo(outcome.failed());
        if (outcome.failed()) {
          failed = true;
          assertThat(p.failure()).as(what).hasSameClassAs(outcome.failure());
        }
      }
      return failed;
    }
  }
}
