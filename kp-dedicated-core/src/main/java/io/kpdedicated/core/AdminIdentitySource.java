package io.kpdedicated.core;

import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the crypto units' administrator signature key comes from. Immutable values; create them
 * with the static factories.
 *
 * <p>The initializer does not take ownership of passphrases: keep them alive while the initializer
 * is used and destroy them afterwards.
 */
public sealed interface AdminIdentitySource {

  /** The RSA key size used by {@link #generate(Path, Passphrase, String)}. */
  int DEFAULT_RSA_BITS = 2048;

  /**
   * Generates an RSA-2048 identity and saves it as a PKCS#12 file (0600, written atomically) — or,
   * when the file exists already (a run before this one generated it), loads it instead, so that a
   * run after a crash keeps the identity the units were claimed with. A file that exists but does
   * not open with {@code passphrase} fails the run; it is never overwritten.
   *
   * @param file the PKCS#12 file
   * @param passphrase protects the file; {@code null} saves it unprotected (not recommended)
   * @param adminName the administrator name written into the certificate
   * @return the source
   * @throws NullPointerException if {@code file} or {@code adminName} is null
   * @throws IllegalArgumentException if {@code adminName} is blank
   */
  static AdminIdentitySource generate(Path file, Passphrase passphrase, String adminName) {
    return new Generate(file, passphrase, adminName, DEFAULT_RSA_BITS);
  }

  /**
   * Like {@link #generate(Path, Passphrase, String)} with another RSA key size.
   *
   * @param file the PKCS#12 file
   * @param passphrase protects the file; {@code null} saves it unprotected
   * @param adminName the administrator name
   * @param rsaBits 2048, 3072 or 4096
   * @return the source
   * @throws IllegalArgumentException if {@code rsaBits} is not one of those
   */
  static AdminIdentitySource generate(Path file, Passphrase passphrase, String adminName,
      int rsaBits) {
    return new Generate(file, passphrase, adminName, rsaBits);
  }

  /**
   * Loads an existing PKCS#12 identity file.
   *
   * @param file the file
   * @param passphrase its passphrase; {@code null} only for a file saved unprotected
   * @return the source
   * @throws NullPointerException if {@code file} is null
   */
  static AdminIdentitySource load(Path file, Passphrase passphrase) {
    return new Load(file, passphrase);
  }

  /**
   * Uses a signer the caller provides (a loaded identity, a PKCS#11 token, a remote signer). The
   * initializer neither closes nor destroys it.
   *
   * @param signer the signer
   * @return the source
   * @throws NullPointerException if {@code signer} is null
   */
  static AdminIdentitySource of(AdminSigner signer) {
    return new Provided(signer);
  }

  /**
   * Generate, or load if the file exists.
   *
   * @param file the PKCS#12 file
   * @param passphrase protects the file, or {@code null} for none
   * @param adminName the administrator name
   * @param rsaBits the RSA key size
   */
  record Generate(Path file, Passphrase passphrase, String adminName, int rsaBits)
      implements AdminIdentitySource {
    /**
     * Validates the fields.
     *
     * @param file the PKCS#12 file
     * @param passphrase protects the file, or {@code null} for none
     * @param adminName the administrator name
     * @param rsaBits the RSA key size
     */
    public Generate {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(adminName, "adminName");
      if (adminName.isBlank()) {
        throw new IllegalArgumentException("adminName must not be blank");
      }
      if (rsaBits != 2048 && rsaBits != 3072 && rsaBits != 4096) {
        throw new IllegalArgumentException("rsaBits must be 2048, 3072 or 4096, got " + rsaBits);
      }
    }
  }

  /**
   * Load an existing file.
   *
   * @param file the PKCS#12 file
   * @param passphrase its passphrase, or {@code null} for an unprotected file
   */
  record Load(Path file, Passphrase passphrase) implements AdminIdentitySource {
    /**
     * Validates the fields.
     *
     * @param file the PKCS#12 file
     * @param passphrase its passphrase, or {@code null} for an unprotected file
     */
    public Load {
      Objects.requireNonNull(file, "file");
    }
  }

  /**
   * A signer the caller provides.
   *
   * @param signer the signer
   */
  record Provided(AdminSigner signer) implements AdminIdentitySource {
    /**
     * Validates the fields.
     *
     * @param signer the signer
     */
    public Provided {
      Objects.requireNonNull(signer, "signer");
    }

    @Override
    public String toString() {
      return "Provided[signer=" + signer.getClass().getSimpleName() + "]";
    }
  }
}
