package io.kpdedicated.core.portable;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.InitializationPlan.IdentityAction;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.PrepareContext;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.RsaKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The administrator of a run in the portable backend: loaded from PKCS#12, generated (and saved),
 * or a signer the caller gave. Closing destroys an identity the run loaded or generated, never one
 * the caller gave. Thread-safe once prepared.
 */
final class PortableCredential implements AdminCredential {
  private final AdminSigner signer;
  private final AdminIdentity owned;
  private final IdentityAction action;
  private final String description;
  private String claimPem;

  PortableCredential(AdminSigner signer, AdminIdentity owned, IdentityAction action,
      String description) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.owned = owned;
    this.action = action;
    this.description = description;
  }

  /**
   * Loads, generates or takes the identity. In a dry run a new identity is made in memory only.
   *
   * @throws KeyFileException if a file is refused, also a file an earlier run generated
   */
  static PortableCredential prepare(AdminIdentitySource source, PrepareContext context) {
    Objects.requireNonNull(source, "source");
    if (source instanceof AdminIdentitySource.Provided p) {
      return new PortableCredential(p.signer(), null, IdentityAction.USE_GIVEN,
          "using the administrator signer given by the caller");
    }
    if (source instanceof AdminIdentitySource.Load l) {
      AdminIdentity identity = AdminIdentity.load(l.file(), l.passphrase());
      return new PortableCredential(identity, identity, IdentityAction.LOAD,
          "loaded the administrator identity from " + l.file());
    }
    AdminIdentitySource.Generate g = (AdminIdentitySource.Generate) source;
    if (Files.exists(g.file())) {
      return loadLeftOver(g);
    }
    AdminIdentity identity = AdminIdentity.generate(g.adminName(), g.rsaBits(), context.random(),
        context.clock());
    if (context.dryRun()) {
      return new PortableCredential(identity, identity, IdentityAction.GENERATE,
          "would generate a new administrator identity '" + g.adminName() + "' and save it to "
              + g.file());
    }
    try {
      if (g.passphrase() == null) {
        identity.saveUnprotected(g.file(), false);
      } else {
        identity.save(g.file(), g.passphrase(), false, context.kdfCost().pbkdf2Iterations());
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
    return new PortableCredential(identity, identity, IdentityAction.GENERATE,
        "generated a new administrator identity '" + g.adminName() + "' and saved it to "
            + g.file());
  }

  private static PortableCredential loadLeftOver(AdminIdentitySource.Generate g) {
    Path file = g.file();
    try {
      AdminIdentity identity = AdminIdentity.load(file, g.passphrase());
      return new PortableCredential(identity, identity, IdentityAction.LOAD,
          "loaded the administrator identity an earlier run saved to " + file);
    } catch (KeyFileException e) {
      throw new KeyFileException(e.reason(), file, "the administrator identity file " + file
          + " exists (an earlier run probably generated it) but was refused: " + e.getMessage()
          + ". Give the passphrase it was saved with; do not delete or replace it if any crypto"
          + " unit was claimed with it (those units accept only that key), move it away only if"
          + " no unit was claimed yet", e);
    }
  }

  AdminSigner signer() {
    return signer;
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
  public synchronized String claimPublicKeyPem() {
    if (claimPem == null) {
      claimPem = owned != null ? owned.publicKeyPkcs1Pem() : RsaKeys.toPkcs1Pem(signer.publicKey());
    }
    return claimPem;
  }

  @Override
  public void close() {
    if (owned != null && !owned.isDestroyed()) {
      owned.destroy();
    }
  }

  @Override
  public String toString() {
    return "PortableCredential[" + action + "]";
  }
}
