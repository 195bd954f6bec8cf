package io.kpdedicated.testkit.nativehsm;

import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.testkit.HsmUnitAccess;
import io.kpdedicated.testkit.UnitSnapshot;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The stand-in's users: {@code AddUserC} for the {@code kmsCryptoUser} of the cloud's metadata
 * (name, credential file, {@code cred_hash} and {@code CXI_GROUP} checked) and the
 * {@code ListUsersC} table. Thread-safe.
 */
final class StandInUsers {
  private final HsmUnitAccess units;
  private final StandInAnswers answers;

  StandInUsers(HsmUnitAccess units, StandInAnswers answers) {
    this.units = units;
    this.answers = answers;
  }

  /** {@code AddUserC}: adds the {@code kmsCryptoUser} when every argument matches the metadata. */
  long addUser(StandInHsmModel.Call c, StandInSessions.Session s) {
    CryptoUserMetadata m = units.cloud().metadata();
    String name = c.str(0);
    String problem = null;
    if (!"kmsCryptoUser".equals(c.str(1))) {
      problem = "the stand-in adds only the kmsCryptoUser, got type " + c.str(1);
    } else if (!m.userName().equals(name)) {
      problem = "the kmsCryptoUser must be named " + m.userName();
    } else if (c.credentialFileContent() == null || c.credentialFileContent().equals("<missing>")) {
      problem = "the credential must be <file>#, naming an existing file";
    } else if (!StandInAnswers.sameKey(credentialKey(c.credentialFileContent()),
        RsaKeys.fromPem(m.publicKeyPem()))) {
      problem = "the credential file does not hold the metadata's public key";
    } else if (!StandInAnswers.sha256Hex(m.publicKeyPem()).equals(c.str(3))) {
      problem = "cred_hash is not the SHA-256 of the metadata's public key";
    } else if (!(NewUser.CXI_GROUP + "=" + m.cxiGroup()).equals(c.str(4))) {
      problem = "attributes must be " + NewUser.CXI_GROUP + "=" + m.cxiGroup();
    }
    if (problem != null) {
      answers.reply(problem);
      return 0xC7000C05L;
    }
    HsmUnitAccess.Outcome o = units.addUser(s.guid(), s.unitId(), new CryptoUser(name,
        UserType.KMS_CRYPTO_USER, Map.of(NewUser.CXI_GROUP, m.cxiGroup())));
    switch (o) {
      case DONE:
        answers.reply("user " + name + " added");
        return 0;
      case CONFLICT:
        answers.reply("user " + name + " already exists");
        return 0xC7000C01L;
      default:
        return answers.refusal(o, s.unitId());
    }
  }

  /** The {@code ListUsersC} table of a unit. */
  String usersTable(UnitSnapshot unit) {
    StringBuilder sb = new StringBuilder("Found " + unit.users().size() + " users\n"
        + "Name                                      Permission  Mechanism  Attributes\n");
    for (CryptoUser u : unit.users()) {
      if (u.type() == UserType.ADMIN) {
        sb.append(StandInHsmModel.ADMIN_ROW).append('\n');
        continue;
      }
      StringBuilder attrs = new StringBuilder("I[0]");
      if (!u.attributes().isEmpty()) {
        List<String> kv = new ArrayList<>();
        u.attributes().forEach((key, v) -> kv.add(key + "=" + v));
        Collections.sort(kv);
        attrs.append("A[").append(String.join(";", kv)).append(']');
      }
      sb.append(u.name()).append(" 00000002 RSA sign ").append(attrs).append('\n');
    }
    return sb.toString();
  }

  /** The key of a {@code MOD=}/{@code PEXP=} credential file, or null when it has none. */
  private static RSAPublicKey credentialKey(String content) {
    String mod = null;
    String pexp = null;
    for (String line : content.split("\n")) {
      if (line.startsWith("MOD=")) {
        mod = line.substring(4).strip();
      } else if (line.startsWith("PEXP=")) {
        pexp = line.substring(5).strip();
      }
    }
    if (mod == null || pexp == null) {
      return null;
    }
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
          new RSAPublicKeySpec(new BigInteger(mod, 16), new BigInteger(pexp, 16)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }
}
