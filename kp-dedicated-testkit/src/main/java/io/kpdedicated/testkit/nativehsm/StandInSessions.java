package io.kpdedicated.testkit.nativehsm;

import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.testkit.HsmUnitAccess;
import io.kpdedicated.testkit.UnitSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The stand-in's library sessions: {@code CreateSessionC} with its checks, the open sessions by
 * handle, {@code SetTokenGetterC}, {@code CloseSessionC}, and the checks every session call passes
 * first (the session's token, the unit there, out of maintenance, claimed, with this admin key).
 * Thread-safe.
 */
final class StandInSessions {
  /** An open session: its instance, unit, admin key and current {@code Bearer} token. */
  record Session(String guid, String unitId, RSAPublicKey admin, String token) {}

  /** The outcome of the checks before a session call: a status, and the unit when it is 0. */
  record Checked(long status, UnitSnapshot unit) {}

  private final HsmUnitAccess units;
  private final Predicate<String> tokenCheck;
  private final StandInAnswers answers;
  private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final AtomicLong nextHandle = new AtomicLong(0x5000);

  StandInSessions(HsmUnitAccess units, Predicate<String> tokenCheck, StandInAnswers answers) {
    this.units = units;
    this.tokenCheck = tokenCheck;
    this.answers = answers;
  }

  /** The open session of a handle, or null. */
  Session get(long handle) {
    return sessions.get(handle);
  }

  /** Why {@code CreateSessionC} answered 0, one line per refusal. */
  List<String> refused() {
    return List.copyOf(refused);
  }

  /** The units of the open sessions, by handle. */
  Map<Long, String> open() {
    Map<Long, String> out = new LinkedHashMap<>();
    sessions.forEach((h, s) -> out.put(h, s.unitId()));
    return out;
  }

  /** {@code CreateSessionC}: a new handle, or 0 with the reason in {@link #refused()}. */
  long create(StandInHsmModel.Call c) {
    String endpoint = c.str(0);
    long port = c.num(0);
    String guid = c.str(1);
    String unitId = c.str(2);
    String refusal = null;
    StandInFiles.AdminKey key = null;
    if (endpoint == null || !(endpoint.startsWith("https://") || endpoint.startsWith("http://"))) {
      refusal = "endpoint without scheme: " + endpoint;
    } else if (port < 1 || port > 65535) {
      refusal = "port out of range: " + port;
    } else if (!"ADMIN".equals(c.str(3))) {
      refusal = "user is not ADMIN: " + c.str(3);
    } else if (!tokenCheck.test(c.str(6))) {
      refusal = "IAM token not accepted";
    } else if (units.unit(guid, unitId).isEmpty()) {
      refusal = "no unit " + unitId + " in instance " + guid;
    } else if (c.str(4) == null) {
      refusal = "no key file";
    } else {
      try {
        key = StandInFiles.readAdminKey(Path.of(c.str(4)));
        if (!key.opensWith(c.str(5))) {
          refusal = "the passphrase does not open key file " + c.str(4);
        }
      } catch (IOException | StandInFiles.FormatException e) {
        refusal = "key file " + c.str(4) + " unreadable: " + e.getMessage();
      }
    }
    if (refusal != null) {
      refused.add(refusal);
      return 0;
    }
    units.recordCall(Operation.OPEN_SESSION, unitId);
    long h = nextHandle.getAndIncrement();
    sessions.put(h, new Session(guid, unitId, key.publicKey(), c.str(6)));
    return h;
  }

  /** {@code CloseSessionC}. */
  long close(long handle) {
    return sessions.remove(handle) != null ? 0 : 0xC7000600L;
  }

  /** {@code SetTokenGetterC} on an open session. */
  long setToken(StandInHsmModel.Call c, Session s) {
    if (!tokenCheck.test(c.str(0))) {
      answers.reply("the IAM token is not valid");
      return 0x00000008L;
    }
    sessions.put(c.handle(), new Session(s.guid(), s.unitId(), s.admin(), c.str(0)));
    return 0;
  }

  /** The checks every other session call passes first; replies why when one fails. */
  Checked check(Session s) {
    if (!tokenCheck.test(s.token())) {
      answers.reply("the session's IAM token is no longer valid");
      return new Checked(0x00000008L, null);
    }
    UnitSnapshot unit = units.unit(s.guid(), s.unitId()).orElse(null);
    if (unit == null) {
      answers.reply("crypto unit " + s.unitId() + " not found");
      return new Checked(0xB1B39DD1L, null);
    }
    if (unit.state() == UnitState.MAINTENANCE) {
      answers.reply("crypto unit " + s.unitId() + " is in maintenance");
      return new Checked(0xB1B3C350L, null);
    }
    if (unit.admin() == null) {
      answers.reply("crypto unit " + s.unitId() + " must be claimed first");
      return new Checked(0xB1B39FC5L, null);
    }
    if (!StandInAnswers.sameKey(unit.admin(), s.admin())) {
      answers.reply("authentication failed: the admin key is not the one unit " + s.unitId()
          + " was claimed with");
      return new Checked(0xC7000300L, null);
    }
    return new Checked(0, unit);
  }

  /** Whether a call's headers carry an {@code Authorization} the token check refuses. */
  boolean headersRefused(String headers) {
    if (headers == null) {
      return false;
    }
    for (String pair : headers.split("%")) {
      if (pair.startsWith("Authorization=") && !tokenCheck.test(pair.substring(14))) {
        answers.reply("the headers' IAM token is not valid");
        return true;
      }
    }
    return false;
  }
}
