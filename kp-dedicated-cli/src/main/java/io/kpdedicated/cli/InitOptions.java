package io.kpdedicated.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code kpd init} and {@code kpd plan} share. A picocli mixin. */
final class InitOptions {
  @Option(names = "--name", paramLabel = "NAME",
      description = "Instance to create or reuse by name (default on the embedded emulator:"
          + " kpd-demo; required on IBM Cloud unless " + Env.INSTANCE_ID + " is set).")
  String name;

  @Option(names = "--crypto-units", paramLabel = "N",
      description = "Crypto units of a new instance: 2 (default) or 3. An existing instance keeps"
          + " its count; giving another one is an error.")
  Integer cryptoUnits;

  @Option(names = "--region", defaultValue = "us-south", paramLabel = "REGION",
      description = "Region of a new instance: us-south (the only one).")
  String region;

  @Option(names = "--resource-group", paramLabel = "G",
      description = "Resource group id of a new instance (default: the account's default).")
  String resourceGroup;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Folder for the files kpd writes (admin key, keyshares, generated"
          + " passphrases). Default: a new folder kpd-out-<timestamp> here. An existing folder"
          + " resumes the run that wrote it (give --passphrases DIR/passphrases.txt).")
  Path out;

  @Option(names = "--credential", paramLabel = "F",
      description = "Use this existing administrator key file instead of generating one"
          + " (F#P, or F with its passphrase from --passphrases or the prompt).")
  String credential;

  @Option(names = "--admin-name", defaultValue = "admin", paramLabel = "NAME",
      description = "Name of a generated administrator (default: ${DEFAULT-VALUE}).")
  String adminName;

  @Option(names = "--keyshare-files", paramLabel = "JSON",
      description = "Keyshare files: existing ones (all exist) are used as the master key; new ones"
          + " (none exists) receive a new key. Default: DIR/keyshare-1.json ... -N.json.")
  String keyshareFiles;

  @Option(names = "--keyshares", defaultValue = "3", paramLabel = "N",
      description = "Number of keyshare files to generate in DIR (default: ${DEFAULT-VALUE}).")
  int keyshares;

  @Option(names = "--keyshare-minimum", defaultValue = "2", paramLabel = "K",
      description = "Keyshares needed to rebuild the key, 2 <= K <= N (default: ${DEFAULT-VALUE}).")
  int minimum;

  @Option(names = "--key-name", defaultValue = "kpdmk", paramLabel = "NAME",
      description = "Name of a new master key, 1 to 8 characters (default: ${DEFAULT-VALUE}).")
  String keyName;

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Crypto units worked on at once (default: all, at most 8).")
  Integer concurrency;

  @Option(names = "--max-attempts", defaultValue = "5", paramLabel = "N",
      description = "Attempts per call for retryable failures (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--allow-private-endpoint",
      description = "Use an instance that reports only a private endpoint (.api.private.);"
          + " reachable only from inside IBM Cloud's private network.")
  boolean allowPrivateEndpoint;

  @Option(names = "--hsm-library", paramLabel = "PATH",
      description = "IBM's HSM library (a folder or the file): do the HSM sessions through it"
          + " instead of the signed REST protocol; also when KEYPROTECT_LIB_PATH is set. Needs"
          + " IBMCLOUD_API_KEY; on Linux start java with LD_PRELOAD naming the library.")
  java.nio.file.Path hsmLibrary;

  @Mixin PassphrasesFileOption passphrases;
  @Mixin UnitOptions units;
  @Mixin TargetOptions target;
  @Mixin KdfOption kdf;
}
