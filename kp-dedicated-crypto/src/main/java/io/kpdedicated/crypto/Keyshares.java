package io.kpdedicated.crypto;

import io.kpdedicated.crypto.KeyFileException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a master key as K-of-N passphrase-protected keyshare files and opens, checks and rebuilds
 * it from them.
 *
 * <p>Each file holds one Shamir share ({@link Shamir}) of the 32 key bytes, encrypted with
 * AES-256-GCM under a key derived from that file's own passphrase (Argon2id or scrypt, see {@link
 * KdfParameters}). The public header (format version, share index, K, N, share set id, key name,
 * key check value, creation time, KDF parameters) is authenticated as additional data. The module
 * README describes every JSON field.
 *
 * <p>Failures are {@link KeyFileException}s whose {@link KeyFileException#reason() reason} tells
 * the cases apart and whose message names the file; no message holds a passphrase or key byte.
 *
 * <p>All methods are static and thread-safe. Passphrases in {@link KeyshareLocation}s are read,
 * never destroyed: the caller owns them.
 */
public final class Keyshares {
  private static final System.Logger LOG = System.getLogger(Keyshares.class.getName());

  private Keyshares() {}

  /**
   * Splits {@code key} into one share per target and writes every file, or none (see {@link
   * SecureFiles#writeAllAtomically}). Files are created owner-only (0600 on POSIX). Share {@code
   * i} of the list (0-based) gets index {@code i + 1}.
   *
   * @param key the master key; not destroyed
   * @param minimum K, the shares needed to rebuild, 2 to N
   * @param targets N targets (2 to 255), each with its own passphrase; paths must differ
   * @param options KDF, overwrite, randomness and clock
   * <p>The set is checked without running any KDF again: before anything is written, the first K
   * and the last K shares must rebuild the key; after writing, every file must read back byte for
   * byte as encrypted. So a caller need not {@link #verify} a set it has just written (which
   * would run every file's KDF a second time).
   *
   * @return the set's description (id, K, N, key name, check value)
   * @throws NullPointerException if an argument or list element is null
   * @throws IllegalArgumentException if K or N is out of range or two targets name the same file
   * @throws IllegalStateException if the key or a passphrase was destroyed
   * @throws KeyFileException {@link Reason#ALREADY_EXISTS} if a target exists and overwrite is
   *     off (nothing is written), {@link Reason#WRITE_FAILED} if writing failed (nothing of the set
   *     is left behind, or a written file does not read back as written)
   */
  public static KeyshareSetInfo write(
      MasterKey key, int minimum, List<KeyshareLocation> targets, KeyshareWriteOptions options) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(options, "options");
    List<KeyshareLocation> list = List.copyOf(targets);
    int count = list.size();
    Shamir.checkCounts(minimum, count);
    Set<Path> distinct = new HashSet<>();
    for (KeyshareLocation target : list) {
      if (!distinct.add(target.path().toAbsolutePath().normalize())) {
        throw new IllegalArgumentException("two keyshare targets name the same file " + target.path());
      }
    }
    if (!options.overwrite()) {
      for (KeyshareLocation target : list) {
        if (Files.exists(target.path(), LinkOption.NOFOLLOW_LINKS)) {
          throw new KeyFileException(
              Reason.ALREADY_EXISTS,
              target.path(),
              "keyshare file " + target.path() + " already exists; choose another name, move the"
                  + " old file away, or ask explicitly to overwrite; no file was written",
              null);
        }
      }
    }
    String setId = KeyshareFile.newSetId(options.random());
    KeyshareSetInfo info =
        new KeyshareSetInfo(setId, key.name(), key.checkValue(), minimum, count);
    byte[] keyBytes = key.copyKeyBytes();
    List<byte[]> shares = List.of();
    Map<Path, byte[]> contents = new LinkedHashMap<>();
    try {
      shares = Shamir.split(keyBytes, minimum, count, options.random());
      checkRebuilds(shares.subList(0, minimum), keyBytes);
      checkRebuilds(shares.subList(count - minimum, count), keyBytes);
      var createdAt = KeyshareFile.now(options.clock());
      for (int i = 0; i < count; i++) {
        KeyshareLocation target = list.get(i);
        KeyshareHeader header =
            new KeyshareHeader(
                target.path(),
                KeyshareFile.VERSION,
                i + 1,
                minimum,
                count,
                setId,
                key.name(),
                key.checkValue(),
                createdAt,
                options.kdf());
        contents.put(
            target.path(),
            KeyshareFile.encode(header, shares.get(i), target.passphrase(), options.random()));
      }
      SecureFiles.writeAllAtomically(contents, options.overwrite());
      checkReadsBack(contents);
    } finally {
      Arrays.fill(keyBytes, (byte) 0);
      shares.forEach(s -> Arrays.fill(s, (byte) 0));
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        "wrote keyshare set {0} of key {1}: {2} of {3} files",
        setId, key.name(), minimum, count);
    return info;
  }

  private static void checkRebuilds(List<byte[]> shares, byte[] keyBytes) {
    byte[] rebuilt = Shamir.combine(shares);
    try {
      if (!MessageDigest.isEqual(rebuilt, keyBytes)) {
        throw new KeyFileException(Reason.WRITE_FAILED, null, "the keyshares just split do not"
            + " rebuild the key; no file was written; report this and do not retry", null);
      }
    } finally {
      Arrays.fill(rebuilt, (byte) 0);
    }
  }

  static void checkReadsBack(Map<Path, byte[]> contents) {
    for (Map.Entry<Path, byte[]> e : contents.entrySet()) {
      byte[] read;
      try {
        read = Files.readAllBytes(e.getKey());
      } catch (IOException ex) {
        throw readBackFailed(e.getKey(), "cannot be read back: " + ex.getMessage(), ex);
      }
      if (!Arrays.equals(read, e.getValue())) {
        throw readBackFailed(e.getKey(), "does not read back as written", null);
      }
    }
  }

  private static KeyFileException readBackFailed(Path file, String what, Exception cause) {
    return new KeyFileException(Reason.WRITE_FAILED, file, "keyshare file " + file + " was written"
        + " but " + what + "; do not use this set: check the disk, move the files away and write"
        + " a new set", cause);
  }

  /**
   * Reads the public header of a keyshare file without its passphrase, for display. The header is
   * not authenticated by this call (see {@link KeyshareHeader}).
   *
   * @param file the keyshare file
   * @return its header
   * @throws NullPointerException if {@code file} is null
   * @throws KeyFileException {@link Reason#NOT_READABLE}, {@link Reason#NOT_A_KEY_FILE}, {@link
   *     Reason#UNSUPPORTED_VERSION} or {@link Reason#CORRUPT}
   */
  public static KeyshareHeader readHeader(Path file) {
    Objects.requireNonNull(file, "file");
    return KeyshareFile.readHeader(file);
  }

  /**
   * Opens one keyshare file with its passphrase and returns its header, now authenticated. The
   * share itself is wiped at once. Use it to let each custodian check a passphrase alone.
   *
   * @param location the file and its passphrase
   * @return the authenticated header
   * @throws NullPointerException if {@code location} is null
   * @throws IllegalStateException if the passphrase was destroyed
   * @throws KeyFileException {@link Reason#NOT_READABLE}, {@link Reason#NOT_A_KEY_FILE}, {@link
   *     Reason#UNSUPPORTED_VERSION}, {@link Reason#CORRUPT} or {@link Reason#WRONG_PASSPHRASE}
   */
  public static KeyshareHeader verifyFile(KeyshareLocation location) {
    Objects.requireNonNull(location, "location");
    KeyshareFile.Opened opened = KeyshareFile.open(location.path(), location.passphrase());
    Arrays.fill(opened.share(), (byte) 0);
    return opened.header();
  }

  /**
   * Opens every file, checks that they form one set with at least K distinct shares, rebuilds the
   * key and compares its check value. Destroys the key; returns what was verified.
   *
   * @param locations the files with their passphrases, at least K of one set
   * @return the verified set description
   * @throws NullPointerException if the list or an element is null
   * @throws IllegalStateException if a passphrase was destroyed
   * @throws KeyFileException naming the file at fault: {@link Reason#NOT_READABLE}, {@link
   *     Reason#NOT_A_KEY_FILE}, {@link Reason#UNSUPPORTED_VERSION}, {@link Reason#CORRUPT}, {@link
   *     Reason#WRONG_PASSPHRASE}, {@link Reason#FOREIGN_SHARE_SET}, {@link Reason#DUPLICATE_SHARE};
   *     or {@link Reason#TOO_FEW_SHARES}, {@link Reason#CHECK_VALUE_MISMATCH} for the set
   */
  public static KeyshareSetInfo verify(List<KeyshareLocation> locations) {
    try (RebuiltKeyshares opened = open(locations)) {
      return opened.info();
    }
  }

  /**
   * Like {@link #verify} but returns the rebuilt key, which the caller must close.
   *
   * @param locations the files with their passphrases, at least K of one set
   * @return the rebuilt key, named as in the files, its check value verified
   * @throws NullPointerException if the list or an element is null
   * @throws IllegalStateException if a passphrase was destroyed
   * @throws KeyFileException as {@link #verify}
   */
  public static MasterKey rebuild(List<KeyshareLocation> locations) {
    return open(locations).key();
  }

  /**
   * Verifies the set as {@link #verify} does and returns both the set description and the rebuilt
   * key, running the passphrase KDF once per file. Use it instead of calling {@link #verify} and
   * then {@link #rebuild}, which would run every KDF twice.
   *
   * @param locations the files with their passphrases, at least K of one set
   * @return the set description and key; the caller must close it to destroy the key
   * @throws NullPointerException if the list or an element is null
   * @throws IllegalStateException if a passphrase was destroyed
   * @throws KeyFileException as {@link #verify}
   */
  public static RebuiltKeyshares open(List<KeyshareLocation> locations) {
    Objects.requireNonNull(locations, "locations");
    List<KeyshareLocation> list = List.copyOf(locations);
    if (list.isEmpty()) {
      throw new KeyFileException(
          Reason.TOO_FEW_SHARES, null, "no keyshare file was given; give at least K files", null);
    }
    // Cheap checks first (no KDF): every file parses, and enough files are given.
    List<KeyshareHeader> headers = new ArrayList<>();
    for (KeyshareLocation location : list) {
      headers.add(KeyshareFile.readHeader(location.path()));
    }
    KeyshareHeader first = headers.get(0);
    if (list.size() < first.minimum()) {
      throw tooFew(first, list.size());
    }
    List<KeyshareFile.Opened> opened = new ArrayList<>();
    try {
      for (KeyshareLocation location : list) {
        opened.add(KeyshareFile.open(location.path(), location.passphrase()));
      }
      checkOneSet(opened);
      List<byte[]> shares = new ArrayList<>();
      opened.forEach(o -> shares.add(o.share()));
      byte[] secret = Shamir.combine(shares);
      KeyshareHeader h = opened.get(0).header();
      try {
        MasterKey key = MasterKey.of(h.keyName(), secret);
        if (!key.checkValue().matches(h.checkValue())) {
          key.destroy();
          throw new KeyFileException(
              Reason.CHECK_VALUE_MISMATCH,
              null,
              "the key rebuilt from the keyshares of set " + h.shareSetId()
                  + " does not have the check value " + h.checkValue()
                  + " stored in them; a share is wrong: try another combination of shares",
              null);
        }
        return new RebuiltKeyshares(key, h.setInfo());
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    } finally {
      opened.forEach(o -> Arrays.fill(o.share(), (byte) 0));
    }
  }

  private static void checkOneSet(List<KeyshareFile.Opened> opened) {
    KeyshareHeader first = opened.get(0).header();
    Map<Integer, Path> byIndex = new HashMap<>();
    for (KeyshareFile.Opened o : opened) {
      KeyshareHeader h = o.header();
      if (!h.shareSetId().equals(first.shareSetId())) {
        throw new KeyFileException(
            Reason.FOREIGN_SHARE_SET,
            h.file(),
            "keyshare file " + h.file() + " belongs to share set " + h.shareSetId() + " (key "
                + h.keyName() + ", check value " + h.checkValue() + "), not to set "
                + first.shareSetId() + " of " + first.file() + " (key " + first.keyName()
                + ", check value " + first.checkValue() + "); give only files of one set",
            null);
      }
      if (!h.setInfo().equals(first.setInfo())) {
        throw new KeyFileException(
            Reason.FOREIGN_SHARE_SET,
            h.file(),
            "keyshare file " + h.file() + " claims share set " + h.shareSetId()
                + " but disagrees with " + first.file() + " on K, N, key name or check value;"
                + " give only files of one set",
            null);
      }
      Path previous = byIndex.putIfAbsent(h.shareIndex(), h.file());
      if (previous != null) {
        throw new KeyFileException(
            Reason.DUPLICATE_SHARE,
            h.file(),
            "keyshare file " + h.file() + " holds share " + h.shareIndex() + ", the same share as "
                + previous + "; give " + first.minimum() + " different shares",
            null);
      }
    }
    if (byIndex.size() < first.minimum()) {
      throw tooFew(first, byIndex.size());
    }
  }

  private static KeyFileException tooFew(KeyshareHeader first, int given) {
    return new KeyFileException(
        Reason.TOO_FEW_SHARES,
        null,
        "share set " + first.shareSetId() + " (key " + first.keyName() + ") needs "
            + first.minimum() + " of its " + first.count() + " keyshares, but only " + given
            + (given == 1 ? " was" : " were") + " given; add more keyshare files of this set",
        null);
  }
}
