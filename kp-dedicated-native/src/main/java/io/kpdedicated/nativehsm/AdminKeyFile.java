package io.kpdedicated.nativehsm;

import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.RsaKeys;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.RSAPublicKeySpec;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The public half of an admin {@code .key} file written by IBM's library
 * ({@code GenerateRSAKeyC}): the file's {@code MOD=} and {@code PEXP=} lines, the only lines this
 * SDK reads. The private part stays in the file, encrypted by the library; only the library uses
 * it. The public key becomes the claim's PKCS#1 PEM.
 *
 * @param file the key file
 * @param publicKey the admin's RSA public key, at least 2048 bits
 */
public record AdminKeyFile(Path file, RSAPublicKey publicKey) {
  /** The smallest modulus accepted, in bits. */
  public static final int MIN_BITS = 2048;
  /** The largest file read, in bytes. */
  public static final int MAX_FILE_BYTES = 64 * 1024;

  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{1,2048}");

  /**
   * Validates the fields.
   *
   * @param file the key file
   * @param publicKey the admin's RSA public key, at least 2048 bits
   */
  public AdminKeyFile {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(publicKey, "publicKey");
    if (publicKey.getModulus().bitLength() < MIN_BITS) {
      throw new IllegalArgumentException("the admin key has " + publicKey.getModulus().bitLength()
          + " bits; at least " + MIN_BITS + " are required");
    }
  }

  /**
   * Reads the public key from a {@code .key} file.
   *
   * @param file the file
   * @return the key file
   * @throws KeyFileException {@code NOT_READABLE} if the file cannot be read,
   *     {@code NOT_A_KEY_FILE} if it is too large or lacks exactly one valid {@code MOD=} and one
   *     valid {@code PEXP=} line, {@code CORRUPT} if the key is not a usable RSA key of at least
   *     2048 bits
   */
  public static AdminKeyFile read(Path file) {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new KeyFileException(KeyFileException.Reason.NOT_READABLE, file,
          "cannot read admin key file " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new KeyFileException(KeyFileException.Reason.NOT_A_KEY_FILE, file,
          "admin key file " + file + " is larger than " + MAX_FILE_BYTES + " bytes: not a .key "
              + "file of IBM's library", null);
    }
    String mod = null;
    String pexp = null;
    for (String raw : new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n")) {
      String line = raw.strip();
      if (line.startsWith("MOD=")) {
        mod = once(file, mod, line.substring(4), "MOD");
      } else if (line.startsWith("PEXP=")) {
        pexp = once(file, pexp, line.substring(5), "PEXP");
      }
    }
    if (mod == null || pexp == null) {
      throw new KeyFileException(KeyFileException.Reason.NOT_A_KEY_FILE, file,
          "admin key file " + file + " has no " + (mod == null ? "MOD=" : "PEXP=") + " line: not "
              + "a .key file of IBM's library", null);
    }
    BigInteger modulus = new BigInteger(mod, 16);
    BigInteger exponent = new BigInteger(pexp, 16);
    if (modulus.bitLength() < MIN_BITS || exponent.compareTo(BigInteger.valueOf(3)) < 0
        || !exponent.testBit(0) || !modulus.testBit(0)) {
      throw new KeyFileException(KeyFileException.Reason.CORRUPT, file,
          "admin key file " + file + " holds an unusable RSA key (" + modulus.bitLength()
              + " bits; at least " + MIN_BITS + " with an odd exponent >= 3 are required)", null);
    }
    try {
      RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(modulus, exponent));
      return new AdminKeyFile(file, key);
    } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
      throw new KeyFileException(KeyFileException.Reason.CORRUPT, file,
          "admin key file " + file + " holds an unusable RSA key", e);
    }
  }

  private static String once(Path file, String previous, String value, String name) {
    if (previous != null) {
      throw new KeyFileException(KeyFileException.Reason.NOT_A_KEY_FILE, file,
          "admin key file " + file + " has more than one " + name + "= line", null);
    }
    if (!HEX.matcher(value).matches()) {
      throw new KeyFileException(KeyFileException.Reason.NOT_A_KEY_FILE, file,
          "admin key file " + file + " has a " + name + "= line that is not hex", null);
    }
    return value;
  }

  /**
   * Returns the public key as the claim wants it: PKCS#1 PEM, 64-column base64, final newline.
   *
   * @return the PEM text
   */
  public String pkcs1Pem() {
    return RsaKeys.toPkcs1Pem(publicKey);
  }
}
