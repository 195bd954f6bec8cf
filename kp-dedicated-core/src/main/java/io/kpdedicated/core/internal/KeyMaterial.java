package io.kpdedicated.core.internal;

import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareSetInfo;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.RebuiltKeyshares;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The master key of one run: keyshares written, or reused and verified. The key is held from
 * {@link #prepare} on (a reused set is verified and rebuilt in one pass, so every passphrase KDF
 * runs once) until {@link #close()} wipes it. Thread-safe.
 */
public final class KeyMaterial implements AutoCloseable {
  private final KeyshareSetInfo info;
  private final KeysharesAction action;
  private final String detail;
  private MasterKey key;

  private KeyMaterial(KeyshareSetInfo info, KeysharesAction action, String detail, MasterKey key) {
    this.info = Objects.requireNonNull(info, "info");
    this.action = action;
    this.detail = detail;
    this.key = Objects.requireNonNull(key, "key");
  }

  /**
   * What {@link #prepare} would do, found out by looking at which files exist.
   *
   * @param action the action
   * @param problem why it cannot go on, or empty
   */
  public record Planned(KeysharesAction action, String problem) {}

  /**
   * Returns what {@link #prepare} would do, without reading or writing any file's content.
   *
   * @param source the source
   * @return the planned action
   */
  public static Planned plannedAction(MasterKeySource source) {
    List<Path> present = new ArrayList<>();
    List<Path> missing = new ArrayList<>();
    for (KeyshareLocation location : source.locations()) {
      (Files.exists(location.path()) ? present : missing).add(location.path());
    }
    if (source instanceof MasterKeySource.Existing) {
      return new Planned(KeysharesAction.USE_GIVEN, missing.isEmpty() ? ""
          : "keyshare files do not exist: " + join(missing));
    }
    if (missing.isEmpty()) {
      return new Planned(KeysharesAction.REUSE, "");
    }
    if (present.isEmpty()) {
      return new Planned(KeysharesAction.GENERATE, "");
    }
    return new Planned(KeysharesAction.BLOCKED, partialMessage(present, missing));
  }

  /**
   * Writes or reuses the keyshares and verifies them: every file opens with its passphrase, they
   * form one set, and K of them rebuild a key with the stored check value.
   *
   * @param source the source
   * @param options how to write new files
   * @param random randomness for a new key (and for the files, unless {@code options} are given)
   * @param clock dates new files, unless {@code options} are given
   * @return the prepared material
   * @throws InitializationException if only some target files exist, or the existing set does not
   *     match the request
   * @throws KeyFileException if a file is refused
   */
  public static KeyMaterial prepare(MasterKeySource source, KeyshareWriteOptions options,
      SecureRandom random, Clock clock) {
    Objects.requireNonNull(source, "source");
    List<KeyshareLocation> locations = source.locations();
    if (source instanceof MasterKeySource.Existing) {
      RebuiltKeyshares opened = Keyshares.open(locations);
      KeyshareSetInfo info = opened.info();
      return new KeyMaterial(info, KeysharesAction.USE_GIVEN,
          "verified " + locations.size() + " keyshare files (" + info.minimum() + " of "
              + info.count() + " needed) of master key '" + info.keyName() + "', check value "
              + info.checkValue(), opened.key());
    }
    MasterKeySource.Generate g = (MasterKeySource.Generate) source;
    Planned planned = plannedAction(source);
    if (planned.action() == KeysharesAction.BLOCKED) {
      throw new InitializationException(planned.problem(),
          "An earlier run may have been interrupted, or the paths are wrong. Keyshares are written"
              + " all or none, so a partial set was not written by this SDK: restore the missing"
              + " files from where you keep them, or move the present ones away if no crypto unit"
              + " holds their key yet, then run again.");
    }
    if (planned.action() == KeysharesAction.REUSE) {
      RebuiltKeyshares opened;
      try {
        opened = Keyshares.open(locations);
      } catch (KeyFileException e) {
        throw new InitializationException("all " + locations.size() + " keyshare files exist (an"
            + " earlier run probably wrote them) but they do not verify as one set: "
            + e.getMessage(), null,
            "Give the passphrases they were written with. Do not replace them if any crypto unit"
                + " holds their key: it is the instance's root of trust.",
            false, e);
      }
      KeyshareSetInfo info = opened.info();
      try {
        checkReusable(g, info);
      } catch (RuntimeException e) {
        opened.close();
        throw e;
      }
      return new KeyMaterial(info, KeysharesAction.REUSE,
          "reused the " + locations.size() + " keyshare files an earlier run wrote (master key '"
              + info.keyName() + "', " + info.minimum() + " of " + info.count()
              + " needed, check value " + info.checkValue() + ")", opened.key());
    }
    MasterKey key = MasterKey.generate(g.keyName(), random);
    try {
      Keyshares.write(key, g.minimum(), locations,
          options != null ? options
              : KeyshareWriteOptions.builder().random(random).clock(clock).build());
      KeyshareSetInfo info = Keyshares.verify(locations);
      if (!info.checkValue().equals(key.checkValue())) {
        throw new InitializationException("the keyshare files just written rebuild a key with"
            + " check value " + info.checkValue() + " instead of " + key.checkValue(),
            "This must not happen; do not use these files. Report it, move them away and run"
                + " again.");
      }
      return new KeyMaterial(info, KeysharesAction.GENERATE,
          "generated master key '" + g.keyName() + "' and wrote " + locations.size()
              + " keyshare files (" + g.minimum() + " needed), check value " + info.checkValue(),
          key);
    } catch (RuntimeException e) {
      key.destroy();
      throw e;
    }
  }

  private static void checkReusable(MasterKeySource.Generate g, KeyshareSetInfo info) {
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
      throw new InitializationException("the keyshare files exist already but do not match the"
          + " request: " + String.join("; ", conflicts),
          "Request what the files hold (to resume the earlier run), or choose other file paths.");
    }
  }

  private static String partialMessage(List<Path> present, List<Path> missing) {
    return "only some of the keyshare files exist: present " + join(present) + "; missing "
        + join(missing);
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(", "));
  }

  /** Returns the verified set description. */
  public KeyshareSetInfo info() {
    return info;
  }

  /** Returns the check value every unit must hold. */
  public KeyCheckValue checkValue() {
    return info.checkValue();
  }

  /** Returns what was done. */
  public KeysharesAction action() {
    return action;
  }

  /** Returns a description for progress events (no secrets). */
  public String detail() {
    return detail;
  }

  /**
   * Returns the master key.
   *
   * @return the key (owned by this object; do not close it)
   * @throws IllegalStateException after {@link #close()}: the key was wiped
   */
  public synchronized MasterKey key() {
    if (key == null) {
      throw new IllegalStateException("the master key of this run was already wiped");
    }
    return key;
  }

  /** Wipes the key if it was generated or rebuilt. */
  @Override
  public synchronized void close() {
    if (key != null) {
      key.destroy();
      key = null;
    }
  }
}
