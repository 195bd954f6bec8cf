package io.kpdedicated.cli;

import io.kpdedicated.core.InitializationPlan;
import io.kpdedicated.core.Step;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.model.UnitState;
import java.util.List;
import java.util.Locale;

/**
 * The shapes of {@code --output json}, one record per JSON object: field names and order are
 * stable and documented in the CLI's README ("JSON output"). Every field is always present;
 * absent values are {@code null}. Nothing here holds a secret: failure texts are redacted of
 * command-line passphrases by the caller, and no record has a field for a key or passphrase.
 */
final class JsonReports {
  private JsonReports() {}

  /**
   * A failure as {@code kpd} reports it.
   *
   * @param message what went wrong, one line
   * @param retryable whether trying again may succeed
   * @param remediation what to do, or null
   */
  record Failure(String message, boolean retryable, String remediation) {}

  /**
   * One crypto unit's outcome of {@code kpd init}.
   *
   * @param id the crypto unit id
   * @param stateBefore its state when the run found it ({@code reserved}, ...)
   * @param stateAfter its state at the end
   * @param steps the steps performed on it, in order ({@code claim}, {@code import-master-key},
   *     {@code add-crypto-user}, {@code verify})
   * @param attempts calls made for it, retries included
   * @param checkValue the key check value of its master key, or null when unknown
   * @param status {@code succeeded}, {@code already-done}, {@code failed}, {@code mismatch} or
   *     {@code not-targeted}
   * @param failure why it failed, or null
   */
  record InitUnit(String id, String stateBefore, String stateAfter, List<String> steps,
      int attempts, String checkValue, String status, Failure failure) {}

  /**
   * The report of {@code kpd init}.
   *
   * @param command always {@code init}
   * @param exitCode the exit code of the run
   * @param succeeded whether every unit is kms-initialized with one key check value
   * @param embedded whether it ran against the embedded emulator
   * @param instanceId the instance GUID
   * @param targetAddr the instance endpoint used
   * @param checkValue the one key check value of every unit, or null when they are not all equal
   * @param outDir the folder of the files kpd wrote, or null
   * @param passphrasesFile the passphrases file (written or given), or null
   * @param units each crypto unit's outcome, in the service's order
   * @param retryCommand the command that finishes only the failed units, or null
   */
  record InitReport(String command, int exitCode, boolean succeeded, boolean embedded,
      String instanceId, String targetAddr, String checkValue, String outDir,
      String passphrasesFile, List<InitUnit> units, String retryCommand) {}

  /**
   * One crypto unit in {@code kpd plan}.
   *
   * @param id the crypto unit id
   * @param state its state now
   * @param targeted whether {@code kpd init} would work on it ({@code --id})
   * @param steps the steps {@code kpd init} would perform
   * @param note why nothing or something special is planned, or null
   */
  record PlanUnit(String id, String state, boolean targeted, List<String> steps, String note) {}

  /**
   * The report of {@code kpd plan}.
   *
   * @param command always {@code plan}
   * @param exitCode the exit code
   * @param instanceAction what happens to the instance ({@code create}, {@code reuse}, ...)
   * @param instance the instance found, or null
   * @param instanceSteps the instance-level steps that would run
   * @param adminIdentity what happens to the administrator key ({@code generate}, {@code load},
   *     ...)
   * @param keyshares what happens to the keyshares
   * @param unitsKnown whether the units could be listed (false until the instance is active)
   * @param units each crypto unit's plan
   * @param problems what would stop {@code kpd init} before it touches a unit
   * @param nothingToDo whether every unit is initialized already
   */
  record PlanReport(String command, int exitCode, String instanceAction, Instance instance,
      List<String> instanceSteps, String adminIdentity, String keyshares, boolean unitsKnown,
      List<PlanUnit> units, List<String> problems, boolean nothingToDo) {}

  /**
   * A service instance.
   *
   * @param name its name
   * @param id its resource id (CRN-like id of the Resource Controller)
   * @param guid its GUID ({@code KP_INSTANCE_ID})
   * @param crn its CRN
   * @param state its state
   * @param region its region
   * @param cryptoUnits its number of crypto units
   * @param publicEndpoint its public endpoint, or null
   * @param privateEndpoint its private endpoint, or null
   * @param lastOperation the Resource Controller's last operation, or null
   */
  record Instance(String name, String id, String guid, String crn, String state, String region,
      int cryptoUnits, String publicEndpoint, String privateEndpoint, String lastOperation) {}

  /**
   * A crypto unit as listed by {@code kpd crypto-units}.
   *
   * @param id the crypto unit id
   * @param instanceId the instance it belongs to
   * @param state its state
   * @param checkValue the key check value of its master key, or null when it holds none or it
   *     could not be read (no {@code --credential}, claimed by another administrator)
   */
  record Unit(String id, String instanceId, String state, String checkValue) {}

  /**
   * The report of {@code kpd crypto-units}.
   *
   * @param instanceId the instance GUID
   * @param units its crypto units
   * @param checkValuesAgree true when every unit that holds a master key was read and they hold
   *     the same one, false when two units hold different keys, null when unknown
   */
  record UnitList(String instanceId, List<Unit> units, Boolean checkValuesAgree) {}

  /**
   * One unit's result of a per-unit command ({@code claim}, {@code mk import}, {@code user add},
   * {@code zeroize}).
   *
   * @param id the crypto unit id
   * @param result {@code ok} or {@code failed}
   * @param note what was found, e.g. "skipped: already claimed", or null
   * @param failure why it failed, or null
   */
  record UnitRun(String id, String result, String note, Failure failure) {}

  /**
   * The report of a per-unit command.
   *
   * @param command the operation, e.g. {@code claim}, {@code mk import}
   * @param exitCode the exit code
   * @param units each selected unit's result
   * @param retryCommand the command that retries only the failed units, or null
   */
  record UnitRunReport(String command, int exitCode, List<UnitRun> units, String retryCommand) {}

  /**
   * The report of {@code kpd mk generate} and {@code kpd mk verify}.
   *
   * @param command {@code mk generate} or {@code mk verify}
   * @param keyName the master key's name
   * @param checkValue its key check value
   * @param setId the share set id
   * @param minimum K, keyshares that rebuild the key
   * @param count N, keyshares of the set
   * @param files the keyshare files written or checked
   */
  record KeyshareSet(String command, String keyName, String checkValue, String setId, int minimum,
      int count, List<String> files) {}

  /**
   * The report of {@code kpd sig-key generate}.
   *
   * @param file the key file written
   * @param algorithm {@code RSA-2048}, {@code RSA-3072} or {@code RSA-4096}
   * @param passphraseProtected whether the file is protected by a passphrase
   * @param fingerprint the SHA-256 of the public key (hex)
   */
  record SigKey(String file, String algorithm, boolean passphraseProtected, String fingerprint) {}

  static Instance instance(ServiceInstance i) {
    return new Instance(i.name(), i.id(), i.guid(), i.crn(), i.rawState(), i.region(),
        i.cryptoUnits(), i.publicEndpoint() == null ? null : i.publicEndpoint().toString(),
        i.privateEndpoint() == null ? null : i.privateEndpoint().toString(), i.lastOperation());
  }

  static Unit unit(CryptoUnit u, String checkValue) {
    return new Unit(u.id(), u.instanceId(), u.rawState(), checkValue);
  }

  /** A unit's outcome; {@code failure} is the already redacted report of its failure, or null. */
  static InitUnit initUnit(UnitOutcome u, Failure failure) {
    return new InitUnit(u.unitId(), state(u.initialState()), state(u.finalState()),
        u.steps().stream().map(JsonReports::step).toList(), u.attempts(),
        u.checkValueIfKnown().map(kcv -> kcv.text()).orElse(null), lower(u.status()), failure);
  }

  static PlanUnit planUnit(InitializationPlan.UnitPlan u) {
    return new PlanUnit(u.unitId(), u.rawState(), u.targeted(),
        u.steps().stream().map(JsonReports::step).toList(), u.note().isEmpty() ? null : u.note());
  }

  /** A failure report, redacted of the command line's literal secrets. */
  static Failure failure(Failures.Report r, List<String> args) {
    return new Failure(Redactor.redact(r.message(), args), r.retryable(),
        Redactor.redact(r.remediation(), args));
  }

  /** A step's stable JSON name: {@code IMPORT_MASTER_KEY} is {@code import-master-key}. */
  static String step(Step step) {
    return lower(step);
  }

  /** An enum constant's stable JSON name: lower case, words joined by {@code -}. */
  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String state(UnitState state) {
    return state.wireValue() == null ? "unknown" : state.wireValue();
  }
}
