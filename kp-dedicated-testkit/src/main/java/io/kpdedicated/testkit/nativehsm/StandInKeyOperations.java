package io.kpdedicated.testkit.nativehsm;

import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.Shamir;
import io.kpdedicated.testkit.HsmUnitAccess;
import io.kpdedicated.testkit.UnitSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stand-in's key work: the administrator key file ({@code GenerateRSAKeyC}), the master key
 * split into share files ({@code GenerateMBKC}), rebuilt and loaded into a unit
 * ({@code ImportMBKC}), and the {@code ListMBKKeysC} table with the library's key check values.
 * Thread-safe.
 */
final class StandInKeyOperations {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss",
      Locale.ROOT);

  private final HsmUnitAccess units;
  private final SecureRandom random;
  private final StandInAnswers answers;
  /** The library's check value of every key this model made or loaded, by the core's KCV. */
  private final Map<String, String> nativeCheckValues = new ConcurrentHashMap<>();

  StandInKeyOperations(HsmUnitAccess units, SecureRandom random, StandInAnswers answers) {
    this.units = units;
    this.random = random;
    this.answers = answers;
  }

  /** {@code GenerateRSAKeyC}: writes a stand-in admin key file. */
  long generateAdminKey(StandInHsmModel.Call c) throws IOException {
    Path file = Path.of(c.str(1));
    if (Files.exists(file)) {
      answers.reply("key file " + file + " exists");
      return 0xB9061006L;
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize((int) c.num(0), random);
      RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
      StandInFiles.writeAdminKey(file, c.str(2) == null ? "" : c.str(2), key, c.str(3), random);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      answers.reply("cannot generate an RSA key of " + c.num(0) + " bits");
      return 0xC700000AL;
    }
    answers.reply("key generated");
    return 0;
  }

  /** {@code GenerateMBKC}: a random key split with Shamir into the keyspec's share files. */
  long generateMasterKey(StandInHsmModel.Call c) throws IOException {
    String keyspec = c.str(0);
    long keylen = c.num(0);
    int n = (int) c.num(1);
    int k = (int) c.num(2);
    String name = c.str(2);
    List<String[]> files = parseKeyspec(keyspec);
    if (!"AES".equals(c.str(1)) || keylen != 32 || files == null || files.size() != n || k < 2
        || k > n || name == null || name.length() != 8 || name.isBlank()) {
      answers.reply("invalid master key arguments");
      return 0xC7000001L;
    }
    for (String[] f : files) {
      if (Files.exists(Path.of(f[0]))) {
        answers.reply("share file " + f[0] + " exists");
        return 0xB9061006L;
      }
    }
    byte[] key = new byte[32];
    random.nextBytes(key);
    byte[] setBytes = new byte[8];
    random.nextBytes(setBytes);
    String setId = HexFormat.of().formatHex(setBytes);
    List<byte[]> shares = Shamir.split(key, k, n, random);
    try {
      for (int i = 0; i < n; i++) {
        StandInFiles.writeShare(Path.of(files.get(i)[0]), new StandInFiles.Share(setId,
            name.strip(), i + 1, n, k, shares.get(i)), files.get(i)[1], random);
      }
      nativeCheckValues.put(kcvKey(key), StandInHsmModel.nativeCheckValue(key));
    } finally {
      Arrays.fill(key, (byte) 0);
      shares.forEach(b -> Arrays.fill(b, (byte) 0));
    }
    answers.reply("master key generated into " + n + " shares, threshold " + k);
    return 0;
  }

  /** {@code ImportMBKC}: rebuilds the key from the share files and loads it into the unit. */
  long importMasterKey(StandInHsmModel.Call c, StandInSessions.Session s) throws IOException {
    if (c.num(0) != 3) {
      answers.reply("the master key goes to slot 3, not " + c.num(0));
      return 0xC700000AL;
    }
    List<String[]> files = parseKeyspec(c.str(0));
    if (files == null) {
      answers.reply("invalid keyspec");
      return 0xC7000001L;
    }
    List<StandInFiles.Share> shares = new ArrayList<>();
    for (String[] f : files) {
      Path p = Path.of(f[0]);
      if (!Files.isReadable(p)) {
        answers.reply("cannot open share file " + p);
        return 0xB9061003L;
      }
      try {
        shares.add(StandInFiles.readShare(p, f[1]));
      } catch (StandInFiles.FormatException e) {
        answers.reply(e.getMessage());
        return 0xB9061005L;
      } catch (StandInFiles.WrongPassphraseException e) {
        answers.reply("cannot decrypt key file " + p);
        return 0xB906100EL;
      }
    }
    StandInFiles.Share first = shares.get(0);
    if (shares.stream().anyMatch(x -> !x.setId().equals(first.setId()))
        || shares.size() < first.k()) {
      answers.reply("need " + first.k() + " shares of one master key, got " + shares.size());
      return 0xC7000001L;
    }
    List<byte[]> raw = new ArrayList<>();
    shares.forEach(x -> raw.add(x.share()));
    byte[] key = Shamir.combine(raw);
    try {
      nativeCheckValues.put(kcvKey(key), StandInHsmModel.nativeCheckValue(key));
      HsmUnitAccess.Outcome o = units.loadMasterKey(s.guid(), s.unitId(), first.name(), key);
      switch (o) {
        case DONE:
        case UNCHANGED:
          answers.reply("master key " + first.name() + " imported into slot 3");
          return 0;
        case CONFLICT:
          answers.reply("crypto unit " + s.unitId() + " holds another master key");
          return 0xB1B39FC4L;
        default:
          return answers.refusal(o, s.unitId());
      }
    } finally {
      Arrays.fill(key, (byte) 0);
      raw.forEach(b -> Arrays.fill(b, (byte) 0));
    }
  }

  /** The {@code ListMBKKeysC} table of a unit. */
  String masterKeyTable(UnitSnapshot unit) {
    StringBuilder sb = new StringBuilder("slot name     len algo type k date       time     kcv\n");
    MasterKeyInfo mk = unit.masterKey();
    if (mk != null) {
      String kcv = nativeCheckValues.get(mk.checkValue().text());
      if (kcv == null) {
        kcv = derivedCheckValue(mk.checkValue().text());
      }
      String[] dateTime = LocalDateTime.ofInstant(units.cloud().clock().instant(), ZoneOffset.UTC)
          .format(DATE).split(" ");
      sb.append(String.format(Locale.ROOT, "%-4d %-8s %3d %-4s %-4s %d %s %s %s%n", 3, mk.name(),
          32, "AES", "MBK", 2, dateTime[0], dateTime[1], kcv));
    }
    return sb.toString();
  }

  /** For a key loaded without this model (arranged in the cloud): a value derived from its KCV. */
  private static String derivedCheckValue(String kcvHex) {
    String h = StandInAnswers.sha256Hex("stand-in kcv " + kcvHex);
    return h.substring(0, 16) + ":" + h.substring(16, 32);
  }

  private static String kcvKey(byte[] key) {
    return KeyCheckValue.of(key).hex();
  }

  /** Splits {@code path#pass,path#pass}; null when malformed. */
  private static List<String[]> parseKeyspec(String keyspec) {
    if (keyspec == null || keyspec.isEmpty()) {
      return null;
    }
    List<String[]> out = new ArrayList<>();
    for (String part : keyspec.split(",", -1)) {
      int hash = part.indexOf('#');
      if (hash <= 0 || hash == part.length() - 1 || part.indexOf('#', hash + 1) >= 0) {
        return null;
      }
      out.add(new String[] {part.substring(0, hash), part.substring(hash + 1)});
    }
    return out;
  }
}
