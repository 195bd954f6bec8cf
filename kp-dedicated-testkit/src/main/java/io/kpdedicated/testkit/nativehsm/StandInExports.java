package io.kpdedicated.testkit.nativehsm;

import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.testkit.HsmUnitAccess;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.function.Predicate;

/**
 * Routes each export of the stand-in library to the part of the model that serves it: sessions,
 * key operations or users, after the checks every session call passes. Thread-safe.
 */
final class StandInExports {
  private final HsmUnitAccess units;
  private final StandInAnswers answers;
  private final StandInSessions sessions;
  private final StandInKeyOperations keys;
  private final StandInUsers users;

  StandInExports(HsmUnitAccess units, StandInAnswers answers, Predicate<String> tokenCheck,
      SecureRandom random) {
    this.units = units;
    this.answers = answers;
    this.sessions = new StandInSessions(units, tokenCheck, answers);
    this.keys = new StandInKeyOperations(units, random, answers);
    this.users = new StandInUsers(units, answers);
  }

  /** {@return the open sessions} */
  StandInSessions sessions() {
    return sessions;
  }

  /** Serves a recorded call (faults already applied); {@code s} is its session, or null. */
  long serve(StandInHsmModel.Call c, StandInSessions.Session s) throws IOException {
    switch (c.fn()) {
      case "CreateSessionC":
        return sessions.create(c);
      case "GenerateRSAKeyC":
        return keys.generateAdminKey(c);
      case "GetLastErrorC":
        return 0;
      case "CloseSessionC":
        return sessions.close(c.handle());
      default:
        break;
    }
    if (s == null) {
      answers.reply("invalid session handle " + c.handle());
      return 0xC7000600L;
    }
    if (c.fn().equals("SetTokenGetterC")) {
      return sessions.setToken(c, s);
    }
    StandInSessions.Checked checked = sessions.check(s);
    if (checked.status() != 0) {
      return checked.status();
    }
    switch (c.fn()) {
      case "GetAuthStateC":
        answers.replyInt(1);
        return 0;
      case "GetCryptoUnitIDC":
        answers.reply(s.unitId());
        return 0;
      case "ListUsersC":
        units.recordCall(Operation.LIST_USERS, s.unitId());
        answers.reply(users.usersTable(checked.unit()));
        return 0;
      case "ListMBKKeysC":
        units.recordCall(Operation.LIST_MASTER_KEYS, s.unitId());
        answers.reply(keys.masterKeyTable(checked.unit()));
        return 0;
      case "AddUserC":
        units.recordCall(Operation.ADD_USER, s.unitId());
        return sessions.headersRefused(c.str(5)) ? 0x00000008L : users.addUser(c, s);
      case "GenerateMBKC":
        return sessions.headersRefused(c.str(3)) ? 0x00000008L : keys.generateMasterKey(c);
      case "ImportMBKC":
        units.recordCall(Operation.IMPORT_MASTER_KEY, s.unitId());
        return sessions.headersRefused(c.str(1)) ? 0x00000008L : keys.importMasterKey(c, s);
      default:
        answers.reply(c.fn() + " is not supported by the stand-in");
        return 0xC7000004L;
    }
  }
}
