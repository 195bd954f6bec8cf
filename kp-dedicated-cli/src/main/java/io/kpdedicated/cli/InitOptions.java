package io.kpdedicated.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code kpd init} and {@code kpd plan} share. A picocli mixin. */
final class InitOptions {
  /** The default number of keyshare files {@code kpd init} generates. */
  static final int DEFAULT_KEYSHARES = 3;
  /** The default K of a generated key. */
  static final int DEFAULT_MINIMUM = 2;
  /** The default name of a generated master key. */
  static final String DEFAULT_KEY_NAME = "kpdmk";

  @Option(names = "--name", paramLabel = "NAME",
      description = "Instance to create or reuse by name (default on the embedded emulator:"
          + " kpd-demo; required on IBM Cloud unless " + Env.INSTANCE_ID + " is set).")
  String name;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Folder for the files kpd writes (admin key, keyshares, generated"
          + " passphrases). Default: a new folder kpd-out-<timestamp> here. An existing folder"
          + " resumes the run that wrote it (give --passphrases DIR/passphrases.txt).")
  Path out;

  @Option(names = "--admin-name", defaultValue = "admin", paramLabel = "NAME",
      description = "Name of a generated administrator, or of the certificate made for a PEM"
          + " --credential without one (default: ${DEFAULT-VALUE}).")
  String adminName = "admin";

  @Option(names = "--keyshares", defaultValue = "" + DEFAULT_KEYSHARES, paramLabel = "N",
      description = "Number of keyshare files to generate in DIR (default: ${DEFAULT-VALUE}).")
  int keyshares = DEFAULT_KEYSHARES;

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Crypto units worked on at once (default: all, at most 8).")
  Integer concurrency;

  @Option(names = "--max-attempts", defaultValue = "5", paramLabel = "N",
      description = "Attempts per call for retryable failures (default: ${DEFAULT-VALUE}).")
  int maxAttempts = 5;

  @Option(names = "--allow-private-endpoint",
      description = "Use an instance that reports only a private endpoint (.api.private.);"
          + " reachable only from inside IBM Cloud's private network.")
  boolean allowPrivateEndpoint;

  @Mixin CryptoUnitsOption cryptoUnits;
  @Mixin PlacementOptions placement;
  @Mixin CredentialOption credential;
  /** Keyshare files: existing ones (all exist) are the master key, new ones receive a new key. */
  @Mixin KeyshareFilesOptions keyshareFiles;
  @Mixin NewMasterKeyOptions masterKey;
  @Option(names = "--hsm-library", paramLabel = "PATH",
      description = "IBM's HSM library (a folder or the file): do the HSM sessions through it"
          + " instead of the signed REST protocol; also when KEYPROTECT_LIB_PATH is set. Needs"
          + " IBMCLOUD_API_KEY; on Linux start java with LD_PRELOAD naming the library.")
  java.nio.file.Path hsmLibrary;

  @Mixin PassphrasesFileOption passphrases;
  @Mixin UnitOptions units;
  @Mixin TargetOptions target;
  @Mixin KdfOption kdf;
  @Mixin OutputOption output;
}
