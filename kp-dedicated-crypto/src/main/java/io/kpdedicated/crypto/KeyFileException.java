package io.kpdedicated.crypto;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A key file (admin identity or keyshare) could not be read, opened, written or trusted.
 *
 * <p>{@link #reason()} tells the cases apart so that programs can react without parsing text;
 * {@link #file()} names the file. The message never contains a passphrase or key bytes.
 */
public class KeyFileException extends CryptoException {
  private static final long serialVersionUID = 1L;

  /** Why a key file was refused. */
  public enum Reason {
    /** The file does not exist or cannot be read. */
    NOT_READABLE,
    /** The file is not JSON (keyshare) or not PKCS#12 / PEM (identity). */
    NOT_A_KEY_FILE,
    /** The file declares a format version this SDK does not know. */
    UNSUPPORTED_VERSION,
    /** The passphrase does not open the file. */
    WRONG_PASSPHRASE,
    /** The file was truncated or edited: authentication of its content failed or fields are bad. */
    CORRUPT,
    /** The share belongs to a different share set (another master key) than the others given. */
    FOREIGN_SHARE_SET,
    /** Two of the given files hold the same share. */
    DUPLICATE_SHARE,
    /** Fewer shares were given than the set's minimum K. */
    TOO_FEW_SHARES,
    /** The rebuilt key does not have the key check value stored in the shares. */
    CHECK_VALUE_MISMATCH,
    /** The target file exists and overwriting was not requested. */
    ALREADY_EXISTS,
    /** Writing the file failed; nothing was left behind. */
    WRITE_FAILED,
    /**
     * The file asks for more work than this SDK does for an unauthenticated file (passphrase-KDF
     * memory, work or time above the bounds of {@link KdfParameters}, or a PBKDF2 iteration count
     * above {@link AdminIdentity#MAX_PBKDF2_ITERATIONS}); refused before any key derivation.
     */
    TOO_COSTLY,
    /**
     * The key in the file is too weak to trust: an RSA key under {@link RsaKeys#MIN_RSA_BITS}
     * bits.
     */
    WEAK_KEY
  }

  private final transient Path file;
  /** Why the file was refused. */
  private final Reason reason;

  /**
   * Creates an exception.
   *
   * @param reason why the file was refused
   * @param file the file concerned, or {@code null} when several are
   * @param message what went wrong and what to do; never secrets
   * @param cause the underlying cause, or {@code null}
   */
  public KeyFileException(Reason reason, Path file, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.file = file;
  }

  /** {@return why the file was refused} */
  public Reason reason() {
    return reason;
  }

  /** {@return the file concerned, if one file is} */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }
}
