package io.kpdedicated.crypto;

import io.kpdedicated.KpDedicatedException;

/**
 * A cryptographic operation failed: a key could not be generated, loaded, used or checked.
 *
 * <p>File-specific problems (wrong passphrase, corrupt or foreign keyshare files) are reported
 * with the more precise {@link KeyFileException}.
 */
public class CryptoException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong and what to do; never secrets
   * @param cause the underlying cause, or {@code null}
   */
  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
