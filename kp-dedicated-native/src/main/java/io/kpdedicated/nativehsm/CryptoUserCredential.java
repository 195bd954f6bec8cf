package io.kpdedicated.nativehsm;

import io.kpdedicated.crypto.RsaKeys;
import io.kpdedicated.nativehsm.internal.NativeStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code kmsCryptoUser} as IBM's library adds it ({@code AddUserC}), built from the service's
 * crypto-user metadata ({@code GET /api/v1/cryptouser/metadata}):
 * <ul>
 *   <li>credential file: three lines {@code # RSA key}, {@code MOD=<hex>},
 *       {@code PEXP=<6 hex digits>} of the metadata's public key; the credential argument is
 *       {@code <file>#} (no passphrase);
 *   <li>{@code cred_hash}: lowercase hex SHA-256 of the metadata's {@code public_key} text exactly
 *       as received (UTF-8);
 *   <li>attributes: {@code CXI_GROUP=SLOT_%04d} of the metadata's slot id.
 * </ul>
 * Immutable and thread-safe. None of this is secret (it is a public key).
 *
 * @param userName the user name from the metadata
 * @param publicKeyPem the metadata's {@code public_key} text, exactly as received
 * @param slotId the metadata's slot id, 0..9999
 */
public record CryptoUserCredential(String userName, String publicKeyPem, int slotId) {
  /** The user type argument for the crypto user. */
  public static final String USER_TYPE = "kmsCryptoUser";

  /**
   * Validates the fields and that the PEM is an RSA public key with a 24-bit exponent at most.
   *
   * @param userName the user name from the metadata
   * @param publicKeyPem the metadata's {@code public_key} text, exactly as received
   * @param slotId the metadata's slot id, 0..9999
   */
  public CryptoUserCredential {
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(publicKeyPem, "publicKeyPem");
    if (userName.isBlank() || userName.length() > 255) {
      throw new IllegalArgumentException("userName must have 1 to 255 characters");
    }
    NativeStrings.checked(userName, "userName");
    if (slotId < 0 || slotId > 9999) {
      throw new IllegalArgumentException("slotId must be 0..9999, got " + slotId);
    }
    if (RsaKeys.fromPem(publicKeyPem).getPublicExponent().bitLength() > 24) {
      throw new IllegalArgumentException("the crypto user's public exponent does not fit the "
          + "6 hex digits of the PEXP= line");
    }
  }

  /** {@return the {@code attributes} argument, {@code CXI_GROUP=SLOT_%04d}} */
  public String attributes() {
    return String.format(Locale.ROOT, "CXI_GROUP=SLOT_%04d", slotId);
  }

  /** {@return the {@code cred_hash} argument: lowercase hex SHA-256 of the PEM text as received} */
  public String credHash() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(publicKeyPem.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * {@return the credential file's content: {@code # RSA key}, {@code MOD=}, {@code PEXP=} lines}
   */
  public String fileContent() {
    RSAPublicKey key = RsaKeys.fromPem(publicKeyPem);
    return "# RSA key\nMOD=" + hex(key.getModulus()) + "\nPEXP="
        + String.format(Locale.ROOT, "%06X", key.getPublicExponent()) + "\n";
  }

  private static String hex(BigInteger v) {
    byte[] b = v.toByteArray();
    int start = b.length > 1 && b[0] == 0 ? 1 : 0;
    return HexFormat.of().withUpperCase().formatHex(b, start, b.length);
  }

  /**
   * Writes the credential file into {@code directory} (owner-only, 0600 where POSIX) and returns a
   * handle that deletes it on {@link TemporaryFile#close()}; use it in try-with-resources.
   *
   * @param directory an existing folder whose path contains no {@code #}
   * @return the temporary file
   * @throws IllegalArgumentException if the folder's path contains {@code #} (the credential
   *     argument {@code <file>#} could not carry it)
   * @throws UncheckedIOException if the file cannot be written (nothing is left behind)
   */
  public TemporaryFile writeTemporaryFile(Path directory) {
    Objects.requireNonNull(directory, "directory");
    Path dir = directory.toAbsolutePath().normalize();
    if (dir.toString().indexOf('#') >= 0) {
      throw new IllegalArgumentException("folder " + dir + " contains '#', which the credential "
          + "argument <file># cannot carry: choose another folder for temporary files");
    }
    Path file = null;
    try {
      file = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
          ? Files.createTempFile(dir, "kpd-crypto-user-", ".key",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile(dir, "kpd-crypto-user-", ".key");
      Files.writeString(file, fileContent(), StandardCharsets.US_ASCII);
      return new TemporaryFile(file);
    } catch (IOException e) {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // the write failure is what matters
        }
      }
      throw new UncheckedIOException("cannot write the crypto user's credential file in " + dir
          + ": " + e.getMessage(), e);
    }
  }

  /** A credential file that is deleted on {@link #close()}. Not thread-safe. */
  public static final class TemporaryFile implements AutoCloseable {
    private final Path file;

    private TemporaryFile(Path file) {
      this.file = file;
    }

    /** {@return the file} */
    public Path file() {
      return file;
    }

    /** {@return the {@code credential} argument: the file's absolute path and {@code #}} */
    public String credentialArgument() {
      return file.toString() + "#";
    }

    /** Deletes the file; never throws (a failure to delete is logged). */
    @Override
    public void close() {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        System.getLogger(CryptoUserCredential.class.getName()).log(
            System.Logger.Level.WARNING, "cannot delete temporary credential file {0}: {1}", file,
            e.getMessage());
      }
    }
  }
}
