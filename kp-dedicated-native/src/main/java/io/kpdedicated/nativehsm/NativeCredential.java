package io.kpdedicated.nativehsm;

import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The administrator of a run in the native backend: IBM's {@code .key} file and its passphrase
 * (the caller's, never destroyed here). In a dry run a key that would be generated exists only as
 * a public key in memory ({@link #keyFile()} is null) and no session can be opened with it.
 */
final class NativeCredential implements AdminCredential {
  private final Path keyFile;
  private final Passphrase passphrase;
  private final String claimPem;
  private final IdentityAction action;
  private final String description;

  NativeCredential(Path keyFile, Passphrase passphrase, String claimPem, IdentityAction action,
      String description) {
    this.keyFile = keyFile;
    this.passphrase = passphrase;
    this.claimPem = Objects.requireNonNull(claimPem, "claimPem");
    this.action = Objects.requireNonNull(action, "action");
    this.description = Objects.requireNonNull(description, "description");
  }

  /** Returns the key file, or null for a dry run's key that was not written. */
  Path keyFile() {
    return keyFile;
  }

  /** Returns the key file's passphrase, or null when it has none. */
  Passphrase passphrase() {
    return passphrase;
  }

  @Override
  public String claimPublicKeyPem() {
    return claimPem;
  }

  @Override
  public IdentityAction action() {
    return action;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    // Nothing is held: the private key stays in the library's file; the passphrase is the caller's.
  }

  @Override
  public String toString() {
    return "NativeCredential[" + action + ", " + keyFile + "]";
  }
}
