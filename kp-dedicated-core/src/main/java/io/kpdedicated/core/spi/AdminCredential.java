package io.kpdedicated.core.spi;

import io.kpdedicated.core.InitializationPlan.IdentityAction;

/**
 * The administrator identity of a run as a backend realized it (a PKCS#12 key, a JCA signer, a
 * native library's key file). Opaque to the initializer apart from the public key it claims units
 * with. Thread-safe; close it when the run ends (it wipes what the backend loaded, never what the
 * caller gave).
 */
public interface AdminCredential extends AutoCloseable {

  /**
   * Returns the public key as the claim call sends it: PKCS#1 PEM with {@code \n} line ends.
   *
   * @return the PEM text
   */
  String claimPublicKeyPem();

  /**
   * Returns what preparing the credential did.
   *
   * @return generated, loaded or given
   */
  IdentityAction action();

  /**
   * Describes what was done for progress events (never secrets), e.g. {@code loaded the
   * administrator identity from admin.p12}.
   *
   * @return the description
   */
  String description();

  /** Wipes what the backend loaded or generated. Never throws. */
  @Override
  void close();
}
