package io.kpdedicated.cli;

import picocli.CommandLine.Option;

/** {@code --crypto-units 2|3}: the crypto units of a new instance. A picocli mixin. */
final class CryptoUnitsOption {
  /** The default count of a new instance. */
  static final int DEFAULT = 2;

  @Option(names = "--crypto-units", paramLabel = "N",
      description = "Crypto units of a new instance: 2 (default) or 3; it can never change later.")
  Integer cryptoUnits;

  /** Returns whether the option was given. */
  boolean given() {
    return cryptoUnits != null;
  }

  /** Returns the count given, or the default; fails unless it is 2 or 3. */
  int count() {
    int n = cryptoUnits == null ? DEFAULT : cryptoUnits;
    if (n != 2 && n != 3) {
      throw CliException.badInput("--crypto-units is " + n + " but must be 2 or 3 (the count can"
          + " never change after creation)");
    }
    return n;
  }
}
