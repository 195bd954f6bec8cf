package io.kpdedicated.core.portable;

import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.core.spi.PreparedMasterKey;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareSetInfo;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RebuiltKeyshares;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The master key of a run in the portable backend: keyshares written, or reused and verified. The
 * key is held from {@link #prepare} on (a reused set is verified and rebuilt in one pass, so every
 * passphrase KDF runs once) until {@link #close()} wipes it. Thread-safe.
 */
final class PortableMasterKey implements PreparedMasterKey {
  private final String keyName;
  private final CheckValue checkValue;
  private final KeysharesAction action;
  private final String description;
  private final boolean owned;
  private MasterKey key;

  PortableMasterKey(MasterKey key, boolean owned, KeysharesAction action, String description) {
    this.key = Objects.requireNonNull(key, "key");
    this.keyName = key.name();
    this.checkValue = PortableHsmBackend.checkValueOf(key.checkValue());
    this.owned = owned;
    this.action = action;
    this.description = description;
  }

  /**
   * Writes or reuses the keyshares and verifies them. A reused set is opened: every file opens
   * with its passphrase, they form one set, and K of them rebuild a key with the stored check
   * value. A new set is checked by {@link Keyshares#write} as it is written (the shares rebuild the
   * key, every file reads back as encrypted), so each file's KDF runs once; the set's check value
   * is then compared with the key's. In a dry run a new key is made in memory and no file is
   * written.
   *
   * @throws InitializationException if only some target files exist, or the existing set does not
   *     match the request
   * @throws KeyFileException if a file is refused, also in a set an earlier run wrote
   */
  static PortableMasterKey prepare(MasterKeySource source, PrepareContext context) {
    return prepare(source, context, KeyshareFiles.STANDARD);
  }

  /** {@link #prepare(MasterKeySource, PrepareContext)} over the given file operations. */
  static PortableMasterKey prepare(MasterKeySource source, PrepareContext context,
      KeyshareFiles files) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(files, "files");
    List<KeyshareLocation> locations = source.locations();
    if (source instanceof MasterKeySource.Existing) {
      RebuiltKeyshares opened = files.open(locations);
      KeyshareSetInfo info = opened.info();
      return new PortableMasterKey(opened.key(), true, KeysharesAction.USE_GIVEN,
          "verified " + locations.size() + " keyshare files (" + info.minimum() + " of "
              + info.count() + " needed) of master key '" + info.keyName() + "', check value "
              + info.checkValue());
    }
    MasterKeySource.Generate g = (MasterKeySource.Generate) source;
    List<Path> present = new ArrayList<>();
    List<Path> missing = new ArrayList<>();
    for (KeyshareLocation location : locations) {
      (Files.exists(location.path()) ? present : missing).add(location.path());
    }
    if (!present.isEmpty() && !missing.isEmpty()) {
      throw new InitializationException("only some of the keyshare files exist: present "
          + join(present) + "; missing " + join(missing),
          "An earlier run may have been interrupted, or the paths are wrong. Keyshares are written"
              + " all or none, so a partial set was not written by this SDK: restore the missing"
              + " files from where you keep them, or move the present ones away if no crypto unit"
              + " holds their key yet, then run again.");
    }
    if (missing.isEmpty()) {
      return reuse(g, locations, files);
    }
    MasterKey key = MasterKey.generate(g.keyName(), context.random());
    if (context.dryRun()) {
      return new PortableMasterKey(key, true, KeysharesAction.GENERATE,
          "would generate master key '" + g.keyName() + "' and write " + locations.size()
              + " keyshare files (" + g.minimum() + " needed)");
    }
    try {
      // write() checks the set without a second KDF per file: K shares rebuild the key before
      // anything is written, and every file reads back byte for byte as encrypted.
      KeyshareSetInfo info = files.write(key, g.minimum(), locations,
          KeyshareWriteOptions.builder().kdf(context.kdfCost().keyshareKdf())
              .random(context.random()).clock(context.clock()).overwrite(false).build());
      if (!info.checkValue().equals(key.checkValue())) {
        throw new InitializationException("the keyshare files just written rebuild a key with"
            + " check value " + info.checkValue() + " instead of " + key.checkValue(),
            "This must not happen; do not use these files. Report it, move them away and run"
                + " again.");
      }
      return new PortableMasterKey(key, true, KeysharesAction.GENERATE,
          "generated master key '" + g.keyName() + "' and wrote " + locations.size()
              + " keyshare files (" + g.minimum() + " needed), check value " + info.checkValue());
    } catch (RuntimeException e) {
      key.destroy();
      throw e;
    }
  }

  private static PortableMasterKey reuse(MasterKeySource.Generate g,
      List<KeyshareLocation> locations, KeyshareFiles files) {
    RebuiltKeyshares opened;
    try {
      opened = files.open(locations);
    } catch (KeyFileException e) {
      throw new KeyFileException(e.reason(), e.file().orElse(null), "all " + locations.size()
          + " keyshare files exist (an earlier run probably wrote them) but were refused: "
          + e.getMessage() + ". Give the passphrases they were written with; do not replace them"
          + " if any crypto unit holds their key, it is the instance's root of trust", e);
    }
    KeyshareSetInfo info = opened.info();
    List<String> conflicts = new ArrayList<>();
    if (info.minimum() != g.minimum()) {
      conflicts.add("they need " + info.minimum() + " shares, not " + g.minimum());
    }
    if (info.count() != g.targets().size()) {
      conflicts.add("they belong to a set of " + info.count() + " shares, not "
          + g.targets().size());
    }
    if (!info.keyName().equals(g.keyName())) {
      conflicts.add("they hold master key '" + info.keyName() + "', not '" + g.keyName() + "'");
    }
    if (!conflicts.isEmpty()) {
      opened.close();
      throw new InitializationException("the keyshare files exist already but do not match the"
          + " request: " + String.join("; ", conflicts),
          "Request what the files hold (to resume the earlier run), or choose other file paths.");
    }
    return new PortableMasterKey(opened.key(), true, KeysharesAction.REUSE,
        "reused the " + locations.size() + " keyshare files an earlier run wrote (master key '"
            + info.keyName() + "', " + info.minimum() + " of " + info.count()
            + " needed, check value " + info.checkValue() + ")");
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(", "));
  }

  /**
   * Returns the key.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  synchronized MasterKey key() {
    if (key == null) {
      throw new IllegalStateException("the master key of this run was already wiped");
    }
    return key;
  }

  @Override
  public String keyName() {
    return keyName;
  }

  @Override
  public Optional<CheckValue> checkValue() {
    return Optional.of(checkValue);
  }

  @Override
  public boolean checkedOffline() {
    return true;
  }

  @Override
  public boolean needsGeneration() {
    return false;
  }

  @Override
  public KeysharesAction action() {
    return action;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public synchronized void close() {
    if (key != null && owned) {
      key.destroy();
    }
    key = null;
  }

  @Override
  public String toString() {
    return "PortableMasterKey[" + keyName + ", " + checkValue + "]";
  }
}
