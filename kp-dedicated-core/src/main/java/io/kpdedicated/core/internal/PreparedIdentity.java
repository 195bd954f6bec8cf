package io.kpdedicated.core.internal;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.RsaKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * The administrator identity of one run: loaded, generated (and saved) or given. Closing it
 * destroys an identity the run loaded or generated, never one the caller gave. Thread-safe once
 * prepared.
 */
public final class PreparedIdentity implements AutoCloseable {
  private final AdminSigner signer;
  private final AdminIdentity owned;
  private final IdentityAction action;
  private final String detail;
  private String claimPem;

  private PreparedIdentity(AdminSigner signer, AdminIdentity owned, IdentityAction action,
      String detail) {
    this.signer = signer;
    this.owned = owned;
    this.action = action;
    this.detail = detail;
  }

  /**
   * Returns what {@link #prepare} would do, without touching anything.
   *
   * @param source the source
   * @return the action
   */
  public static IdentityAction plannedAction(AdminIdentitySource source) {
    if (source instanceof AdminIdentitySource.Generate g) {
      return Files.exists(g.file()) ? IdentityAction.LOAD : IdentityAction.GENERATE;
    }
    if (source instanceof AdminIdentitySource.Load) {
      return IdentityAction.LOAD;
    }
    return IdentityAction.USE_GIVEN;
  }

  /**
   * Loads, generates or takes the identity.
   *
   * @param source the source
   * @param random randomness for a new key
   * @param clock dates a new identity's certificate
   * @return the identity
   * @throws InitializationException if a file from an earlier run exists but does not open
   * @throws KeyFileException if a file to load is refused or a new file cannot be written
   */
  public static PreparedIdentity prepare(AdminIdentitySource source, SecureRandom random,
      Clock clock) {
    Objects.requireNonNull(source, "source");
    if (source instanceof AdminIdentitySource.Provided p) {
      return new PreparedIdentity(p.signer(), null, IdentityAction.USE_GIVEN,
          "using the administrator signer given by the caller");
    }
    if (source instanceof AdminIdentitySource.Load l) {
      AdminIdentity identity = AdminIdentity.load(l.file(), l.passphrase());
      return new PreparedIdentity(identity, identity, IdentityAction.LOAD,
          "loaded the administrator identity from " + l.file());
    }
    AdminIdentitySource.Generate g = (AdminIdentitySource.Generate) source;
    if (Files.exists(g.file())) {
      return loadLeftOver(g);
    }
    AdminIdentity identity = AdminIdentity.generate(g.adminName(), g.rsaBits(), random,
        clock);
    try {
      if (g.passphrase() == null) {
        identity.saveUnprotected(g.file(), false);
      } else {
        identity.save(g.file(), g.passphrase(), false);
      }
    } catch (KeyFileException e) {
      identity.destroy();
      if (e.reason() == KeyFileException.Reason.ALREADY_EXISTS) {
        return loadLeftOver(g); // another run wrote it meanwhile: use that one
      }
      throw e;
    } catch (RuntimeException e) {
      identity.destroy();
      throw e;
    }
    return new PreparedIdentity(identity, identity, IdentityAction.GENERATE,
        "generated a new administrator identity '" + g.adminName() + "' and saved it to "
            + g.file());
  }

  private static PreparedIdentity loadLeftOver(AdminIdentitySource.Generate g) {
    Path file = g.file();
    try {
      AdminIdentity identity = AdminIdentity.load(file, g.passphrase());
      return new PreparedIdentity(identity, identity, IdentityAction.LOAD,
          "loaded the administrator identity an earlier run saved to " + file);
    } catch (KeyFileException e) {
      throw new InitializationException("the administrator identity file " + file
          + " exists (an earlier run probably generated it) but cannot be opened ("
          + e.reason() + "): " + e.getMessage(), null,
          "Give the passphrase the file was saved with. Do not delete or replace it if any crypto"
              + " unit was claimed with it: those units accept only that key. Move it away only"
              + " if no unit was claimed yet.",
          false, e);
    }
  }

  /** Returns the signer. */
  public AdminSigner signer() {
    return signer;
  }

  /** Returns what was done. */
  public IdentityAction action() {
    return action;
  }

  /** Returns a description for progress events (no secrets). */
  public String detail() {
    return detail;
  }

  /** Returns the public key as PKCS#1 PEM for the claim call (computed once). */
  public synchronized String claimPem() {
    if (claimPem == null) {
      claimPem = owned != null ? owned.publicKeyPkcs1Pem() : RsaKeys.toPkcs1Pem(signer.publicKey());
    }
    return claimPem;
  }

  /** Destroys the identity if this run loaded or generated it. */
  @Override
  public void close() {
    if (owned != null && !owned.isDestroyed()) {
      owned.destroy();
    }
  }
}
