package io.kpdedicated.cli;

import io.kpdedicated.crypto.MasterKey;
import io.kpdedicated.crypto.Shamir;
import picocli.CommandLine.Option;

/**
 * {@code --key-name} and {@code --keyshare-minimum}: a new master key and how many of its keyshares
 * rebuild it. A picocli mixin; each command says whether the options are required or have
 * defaults. Limits come from the crypto module ({@link MasterKey#MAX_NAME_LENGTH},
 * {@link Shamir#MIN_SHARES}, {@link Shamir#MAX_SHARES}).
 */
final class NewMasterKeyOptions {
  @Option(names = "--key-name", paramLabel = "NAME",
      description = "Name of a new master key, 1 to " + MasterKey.MAX_NAME_LENGTH + " characters.")
  String keyName;

  @Option(names = "--keyshare-minimum", paramLabel = "K",
      description = "Keyshares needed to rebuild a new key, " + Shamir.MIN_SHARES + " <= K <= N.")
  Integer minimum;

  /** Returns the key name given, else {@code fallback} (null: required); checks its length. */
  String keyName(String fallback) {
    String name = keyName != null ? keyName : fallback;
    if (name == null) {
      throw CliException.badInput("--key-name is required: the new master key's name, 1 to "
          + MasterKey.MAX_NAME_LENGTH + " characters");
    }
    if (name.isEmpty() || name.length() > MasterKey.MAX_NAME_LENGTH) {
      throw CliException.badInput("--key-name must have 1 to " + MasterKey.MAX_NAME_LENGTH
          + " characters, '" + name + "' has " + name.length());
    }
    return name;
  }

  /**
   * Returns K given, else {@code fallback} (null: required), checked against the {@code count} of
   * keyshares and the crypto module's limits.
   */
  int minimum(Integer fallback, int count, String countMeaning) {
    checkCount(count);
    Integer k = minimum != null ? minimum : fallback;
    if (k == null) {
      throw CliException.badInput("--keyshare-minimum is required: how many keyshares rebuild the"
          + " key, " + Shamir.MIN_SHARES + " to " + count);
    }
    if (k < Shamir.MIN_SHARES || k > count) {
      String allowed = count == Shamir.MIN_SHARES ? String.valueOf(count)
          : Shamir.MIN_SHARES + " to " + count;
      throw CliException.badInput("--keyshare-minimum is " + k + " but must be " + allowed
          + " (" + countMeaning + ")");
    }
    return k;
  }

  /** Fails unless {@code count} keyshares are allowed. */
  static void checkCount(int count) {
    if (count < Shamir.MIN_SHARES || count > Shamir.MAX_SHARES) {
      throw CliException.badInput("the number of keyshares is " + count + " but must be "
          + Shamir.MIN_SHARES + " to " + Shamir.MAX_SHARES + ": a master key needs at least "
          + Shamir.MIN_SHARES + " keyshares");
    }
  }
}
