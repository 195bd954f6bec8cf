package io.kpdedicated.core.internal;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationPlan;
import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.InitializationPlan.InstanceAction;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.InitializationPlan.UnitPlan;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.crypto.KeyshareLocation;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns what a dry run recorded into an {@link InitializationPlan}. Stateless. */
final class PlanAssembler {
  private PlanAssembler() {}

  static InitializationPlan assemble(Reconciler.Recording rec, Reconciler.Execution ex,
      KpDedicatedException problem, String backend, Set<String> targets,
      AdminIdentitySource identitySource, MasterKeySource keySource) {
    List<String> problems = new ArrayList<>();
    if (problem != null) {
      problems.add(problem.getMessage()
          + problem.remediation().map(r -> " (" + r + ")").orElse(""));
    }
    if (ex != null && ex.conflict != null) {
      problems.add(ex.conflict.getMessage());
    }
    IdentityAction identity = rec.admin != null ? rec.admin.action() : plannedIdentity(identitySource);
    KeysharesAction keys = rec.key != null ? rec.key.action()
        : rec.admin != null ? KeysharesAction.BLOCKED : plannedKeys(keySource);
    InstanceAction action = rec.resolver == null || rec.resolver.action() == null
        || (problem != null && rec.units == null) ? InstanceAction.BLOCKED
        : rec.resolver.action();
    boolean offline = rec.key != null && rec.key.checkedOffline();
    CheckValue checkValue = rec.key == null ? null : rec.key.checkValue().orElse(null);
    List<UnitPlan> units = new ArrayList<>();
    if (rec.units != null) {
      Map<String, String> notes = ex == null ? Map.of() : ex.phase.notes();
      for (CryptoUnit unit : rec.units) {
        boolean targeted = targets == null || targets.contains(unit.id());
        UnitOutcome outcome = ex == null ? null : ex.outcomes.stream()
            .filter(o -> o.unitId().equals(unit.id())).findFirst().orElse(null);
        if (outcome == null || !targeted) {
          units.add(new UnitPlan(unit.id(), unit.state(), unit.rawState(), targeted, List.of(),
              targeted ? "" : "not targeted: left alone", null));
          continue;
        }
        KpDedicatedException failure = outcome.failure();
        String note = notes.getOrDefault(unit.id(), "");
        if (failure != null) {
          note = failure.getMessage() + failure.remediation().map(r -> " (" + r + ")").orElse("");
        } else if (!offline && note.isEmpty() && !outcome.steps().isEmpty()) {
          note = "the keyshares cannot be checked offline with this backend; the key check value"
              + " is compared once a unit holds the key";
        }
        units.add(new UnitPlan(unit.id(), unit.state(), unit.rawState(), true, outcome.steps(),
            note, failure));
      }
    }
    return new InitializationPlan(action, rec.resolver == null ? null : rec.resolver.instance(),
        rec.instanceSteps, identity, keys, rec.units != null, units, problems, backend,
        checkValue, offline);
  }

  private static IdentityAction plannedIdentity(AdminIdentitySource source) {
    if (source instanceof AdminIdentitySource.Generate g) {
      return Files.exists(g.file()) ? IdentityAction.LOAD : IdentityAction.GENERATE;
    }
    return source instanceof AdminIdentitySource.Load ? IdentityAction.LOAD
        : IdentityAction.USE_GIVEN;
  }

  private static KeysharesAction plannedKeys(MasterKeySource source) {
    if (source instanceof MasterKeySource.Existing) {
      return KeysharesAction.USE_GIVEN;
    }
    long present = source.locations().stream().map(KeyshareLocation::path)
        .filter(Files::exists).count();
    if (present == 0) {
      return KeysharesAction.GENERATE;
    }
    return present == source.locations().size() ? KeysharesAction.REUSE : KeysharesAction.BLOCKED;
  }
}
