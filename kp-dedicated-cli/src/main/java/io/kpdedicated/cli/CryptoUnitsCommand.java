package io.kpdedicated.cli;

import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.crypto.AdminIdentity;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code kpd crypto-units}: list the instance's crypto units, their states and, with the
 * administrator credential, the key check value of the master key each one holds; flags an
 * instance whose units hold different master keys.
 */
@Command(name = "crypto-units",
    description = {
        "List the instance's crypto units, their states and the key check value of the master key"
            + " each holds. Reading a check value needs an administrator session: give"
            + " --credential (the key the units were claimed with); without it the column shows"
            + " '?'. '-' means the unit holds no master key.",
        "Exit code 3 (here): the units hold different master keys; a warning names the units and"
            + " their check values."
    })
final class CryptoUnitsCommand extends KpdCommand {
  /** The cell of a unit that holds no master key. */
  static final String NO_KEY = "-";
  /** The cell of a unit whose check value could not be read. */
  static final String UNKNOWN = "?";

  @Mixin CredentialOption credential;
  @Mixin PassphraseOptions passphrase;
  @Mixin PassphrasesFileOption passphrases;
  @Mixin TargetOptions target;
  @Mixin OutputOption output;

  /** What was learned of one unit's master key. */
  private record Reading(CheckValue checkValue, boolean known) {
    static final Reading NONE = new Reading(null, true);
    static final Reading UNREADABLE = new Reading(null, false);

    String cell() {
      return !known ? UNKNOWN : checkValue == null ? NO_KEY : checkValue.text();
    }
  }

  @Override
  int run() {
    CliContext ctx = ctx();
    if (!credential.given()) {
      try (Cloud cloud = Cloud.open(ctx, target)) {
        return report(cloud, cloud.units(), null);
      }
    }
    SecretFile file = credential.file(ctx);
    PassphraseSource given = passphrase.source(ctx);
    if (given.specified()) {
      if (file.passphrase().specified()) {
        throw CliException.badInput("give the passphrase of --credential once: as F#P or with a"
            + " --passphrase* option");
      }
      file = file.withPassphrase(given);
    }
    try (PassphraseResolver resolver = passphrases.resolver(ctx);
        AdminIdentity admin = AdminAuth.load(file, resolver, AdminAuth.DEFAULT_PEM_NAME);
        Cloud cloud = Cloud.open(ctx, target)) {
      return report(cloud, cloud.units(), PortableHsmBackend.credentialOf(admin));
    }
  }

  /** Reads the check values ({@code admin} null: none can be read), prints, returns the code. */
  private int report(Cloud cloud, List<CryptoUnit> units, AdminCredential admin) {
    Map<String, Reading> readings = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<String> otherAdmin = new ArrayList<>();
    boolean needCredential = false;
    for (CryptoUnit unit : units) {
      Reading r;
      if (admin == null) {
        r = UnitLifecycle.holdsMasterKey(unit.state()) ? Reading.UNREADABLE : Reading.NONE;
        needCredential |= !r.known();
      } else if (!UnitLifecycle.isClaimed(unit.state())) {
        r = Reading.NONE;
      } else {
        r = read(cloud, unit.id(), admin, otherAdmin, notes);
      }
      readings.put(unit.id(), r);
    }
    if (needCredential) {
      notes.add("note: '?' = not read: reading a key check value needs an administrator"
          + " session; pass --credential F (the admin key the units were claimed with)");
    }
    if (!otherAdmin.isEmpty()) {
      notes.add("note: '?' on " + String.join(", ", otherAdmin) + " = claimed by another"
          + " administrator: this admin key cannot open a session there; pass that"
          + " administrator's key with --credential");
    }
    Map<CheckValue, List<String>> byValue = new LinkedHashMap<>();
    readings.forEach((id, r) -> {
      if (r.checkValue() != null) {
        byValue.computeIfAbsent(r.checkValue(), k -> new ArrayList<>()).add(id);
      }
    });
    boolean anyUnknown = readings.values().stream().anyMatch(r -> !r.known());
    Boolean agree = byValue.size() > 1 ? Boolean.FALSE : anyUnknown ? null : Boolean.TRUE;

    if (output.json()) {
      List<JsonReports.Unit> rows = units.stream().map(u -> {
        CheckValue v = readings.get(u.id()).checkValue();
        return JsonReports.unit(u, v == null ? null : v.text());
      }).toList();
      println(Json.write(new JsonReports.UnitList(cloud.target().instanceGuid(), rows, agree)));
    } else {
      Table t = new Table("ID", "STATE", "KEY CHECK VALUE");
      units.forEach(u -> t.row(u.id(), u.rawState(), readings.get(u.id()).cell()));
      t.lines().forEach(this::println);
    }
    PrintWriter human = output.json() ? ctx().err() : ctx().out();
    notes.forEach(human::println);
    if (byValue.size() > 1) {
      human.println(mismatchWarning(byValue));
    }
    human.flush();
    return byValue.size() > 1 ? ExitCodes.PARTIAL_FAILURE : ExitCodes.OK;
  }

  /** Opens a session on one claimed unit and reads its master key; closes the session. */
  private static Reading read(Cloud cloud, String unitId, AdminCredential admin,
      List<String> otherAdmin, List<String> notes) {
    try (HsmSession session =
        cloud.transport().hsm().openSession(cloud.target(), unitId, admin)) {
      List<MasterKeyInfo> keys = session.listMasterKeys();
      return keys.isEmpty() ? Reading.NONE : new Reading(keys.get(0).checkValue(), true);
    } catch (ServiceException e) {
      if (e.kind() == FailureKind.NOT_ADMIN || e.kind() == FailureKind.NOT_AUTHORIZED) {
        otherAdmin.add(unitId);
      } else {
        notes.add("note: '?' on " + unitId + " = its master key could not be read: "
            + e.getMessage());
      }
      return Reading.UNREADABLE;
    }
  }

  /** The warning for units that hold different master keys. */
  static String mismatchWarning(Map<CheckValue, List<String>> byValue) {
    StringBuilder b = new StringBuilder("WARNING: the crypto units hold different master keys:");
    Set<String> parts = new LinkedHashSet<>();
    byValue.forEach((value, ids) -> parts.add(" key check value " + value.text() + " on "
        + String.join(", ", ids)));
    b.append(String.join(";", parts));
    b.append(". An instance whose units disagree answers \"503 no healthy upstream\"."
        + " Way out: keep the key the keyshares you hold rebuild ('kpd mk verify' prints its"
        + " check value), zeroize the units that hold the other key ('kpd zeroize --id"
        + " UNIT'), then claim them and import the right keyshares ('kpd claim', 'kpd mk import').");
    return b.toString();
  }
}
