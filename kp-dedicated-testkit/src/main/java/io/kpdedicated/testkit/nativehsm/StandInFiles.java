package io.kpdedicated.testkit.nativehsm;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The stand-in's own file formats (IBM's real files are opaque; only the {@code MOD=} and
 * {@code PEXP=} lines of an admin key file are known and kept here).
 *
 * <p><b>Admin key file</b> ({@code GenerateRSAKeyC}): text lines {@code # ...}, {@code OWNER=},
 * {@code MOD=<hex>}, {@code PEXP=<6 hex digits>}, {@code SALT=<hex>} and
 * {@code PASSCHECK=<hex SHA-256 of salt and passphrase>} (or {@code none}). No private key: the
 * stand-in never signs.
 *
 * <p><b>Master key share file</b> ({@code GenerateMBKC}): text lines
 * {@code KPD-STANDIN-MBK-SHARE 1}, {@code set=<16 hex>}, {@code name=}, {@code index=},
 * {@code n=}, {@code k=}, {@code salt=<32 hex>}, {@code iv=<24 hex>} and {@code data=<hex>}: the
 * Shamir share (our {@code Shamir} layout) sealed with AES-256-GCM under
 * PBKDF2-HMAC-SHA256({@value #KDF_ITERATIONS} iterations) of the passphrase, the header lines as
 * associated data. Static methods only; thread-safe.
 */
public final class StandInFiles {
  /** The first line of a share file. */
  public static final String SHARE_MAGIC = "KPD-STANDIN-MBK-SHARE 1";
  /** PBKDF2 iterations for share files (low: these are test files). */
  public static final int KDF_ITERATIONS = 10_000;

  private static final HexFormat HEX = HexFormat.of();

  private StandInFiles() {}

  /** A file that is not in the stand-in's format. */
  public static final class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    FormatException(String message) {
      super(message);
    }
  }

  /** A share file whose passphrase is wrong. */
  public static final class WrongPassphraseException extends Exception {
    private static final long serialVersionUID = 1L;

    WrongPassphraseException(String message) {
      super(message);
    }
  }

  /**
   * An admin key file's content.
   *
   * @param publicKey the RSA public key
   * @param owner the owner recorded
   * @param salt the passphrase check's salt
   * @param passCheck the passphrase check, or null when the file has no passphrase
   */
  public record AdminKey(RSAPublicKey publicKey, String owner, byte[] salt, String passCheck) {
    /**
     * Validates and copies.
     *
     * @param publicKey the RSA public key
     * @param owner the owner recorded
     * @param salt the passphrase check's salt
     * @param passCheck the passphrase check, or null when the file has no passphrase
     */
    public AdminKey {
      Objects.requireNonNull(publicKey, "publicKey");
      salt = salt.clone();
    }

    /**
     * Returns whether a passphrase opens this file.
     *
     * @param passphrase the passphrase, or null for none
     * @return whether it matches
     */
    public boolean opensWith(String passphrase) {
      if (passCheck == null) {
        return passphrase == null;
      }
      return passphrase != null && MessageDigest.isEqual(
          passCheck.getBytes(StandardCharsets.US_ASCII),
          StandInFiles.passCheck(salt, passphrase).getBytes(StandardCharsets.US_ASCII));
    }

    /** {@return a copy of the passphrase check's salt} */
    @Override
    public byte[] salt() {
      return salt.clone();
    }
  }

  /**
   * One master key share as stored.
   *
   * @param setId the id shared by the shares of one key
   * @param name the key name
   * @param index this share's index, 1..n
   * @param n the number of shares
   * @param k the threshold
   * @param share the Shamir share bytes
   */
  public record Share(String setId, String name, int index, int n, int k, byte[] share) {
    /**
     * Copies the share.
     *
     * @param setId the id shared by the shares of one key
     * @param name the key name
     * @param index this share's index, 1..n
     * @param n the number of shares
     * @param k the threshold
     * @param share the Shamir share bytes
     */
    public Share {
      share = share.clone();
    }

    /** {@return a copy of the Shamir share bytes} */
    @Override
    public byte[] share() {
      return share.clone();
    }

    @Override
    public String toString() {
      return "Share[set=" + setId + ", name=" + name + ", index=" + index + ", n=" + n + ", k=" + k
          + "]";
    }
  }

  /**
   * Writes an admin key file (world-readable, as the real library leaves files).
   *
   * @param file the file to create
   * @param owner the owner
   * @param key the public key
   * @param passphrase the passphrase, or null for none
   * @param random salt source
   * @throws IOException if writing fails or the file exists
   */
  public static void writeAdminKey(Path file, String owner, RSAPublicKey key, String passphrase,
      SecureRandom random) throws IOException {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    String text = "# kp-dedicated stand-in admin key\nOWNER=" + owner + "\nMOD="
        + key.getModulus().toString(16).toUpperCase(Locale.ROOT) + "\nPEXP="
        + String.format(Locale.ROOT, "%06X", key.getPublicExponent()) + "\nSALT=" + HEX.formatHex(salt)
        + "\nPASSCHECK=" + (passphrase == null ? "none" : passCheck(salt, passphrase)) + "\n";
    Files.writeString(Files.createFile(file), text, StandardCharsets.UTF_8);
    worldReadable(file);
  }

  /**
   * Reads an admin key file.
   *
   * @param file the file
   * @return its content
   * @throws IOException if it cannot be read
   * @throws FormatException if it is not a stand-in admin key file
   */
  public static AdminKey readAdminKey(Path file) throws IOException, FormatException {
    Map<String, String> f = fields(Files.readString(file, StandardCharsets.UTF_8), "=");
    String mod = f.get("MOD");
    String pexp = f.get("PEXP");
    String salt = f.get("SALT");
    String check = f.get("PASSCHECK");
    if (mod == null || pexp == null || salt == null || check == null) {
      throw new FormatException("not a stand-in admin key file: " + file);
    }
    try {
      RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
          new RSAPublicKeySpec(new BigInteger(mod, 16), new BigInteger(pexp, 16)));
      return new AdminKey(key, f.getOrDefault("OWNER", ""), HEX.parseHex(salt),
          check.equals("none") ? null : check);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new FormatException("unusable key in " + file + ": " + e.getMessage());
    }
  }

  /**
   * Writes one share file (world-readable, as the real library leaves files).
   *
   * @param file the file to create; it must not exist
   * @param share the share
   * @param passphrase its passphrase
   * @param random salt and IV source
   * @throws IOException if writing fails or the file exists
   */
  public static void writeShare(Path file, Share share, String passphrase, SecureRandom random)
      throws IOException {
    byte[] salt = new byte[16];
    byte[] iv = new byte[12];
    random.nextBytes(salt);
    random.nextBytes(iv);
    String header = header(share);
    byte[] plain = share.share();
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, kek(passphrase, salt), new GCMParameterSpec(128, iv));
      c.updateAAD(header.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plain);
      String text = header + "salt=" + HEX.formatHex(salt) + "\niv=" + HEX.formatHex(iv)
          + "\ndata=" + HEX.formatHex(sealed) + "\n";
      Files.writeString(Files.createFile(file), text, StandardCharsets.UTF_8);
      worldReadable(file);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JVM", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Reads and opens one share file.
   *
   * @param file the file
   * @param passphrase its passphrase
   * @return the share
   * @throws IOException if it cannot be read
   * @throws FormatException if it is not a stand-in share file
   * @throws WrongPassphraseException if the passphrase does not open it
   */
  public static Share readShare(Path file, String passphrase)
      throws IOException, FormatException, WrongPassphraseException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (!text.startsWith(SHARE_MAGIC + "\n")) {
      throw new FormatException("not a stand-in share file: " + file);
    }
    Map<String, String> f = fields(text.substring(SHARE_MAGIC.length() + 1), "=");
    Share head;
    byte[] salt;
    byte[] iv;
    byte[] sealed;
    try {
      head = new Share(f.get("set"), f.get("name"), Integer.parseInt(f.get("index")),
          Integer.parseInt(f.get("n")), Integer.parseInt(f.get("k")), new byte[0]);
      salt = HEX.parseHex(f.get("salt"));
      iv = HEX.parseHex(f.get("iv"));
      sealed = HEX.parseHex(f.get("data"));
    } catch (RuntimeException e) {
      throw new FormatException("damaged stand-in share file: " + file);
    }
    if (head.setId() == null || head.name() == null) {
      throw new FormatException("damaged stand-in share file: " + file);
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, kek(passphrase, salt), new GCMParameterSpec(128, iv));
      c.updateAAD(header(head).getBytes(StandardCharsets.UTF_8));
      byte[] plain = c.doFinal(sealed);
      try {
        return new Share(head.setId(), head.name(), head.index(), head.n(), head.k(), plain);
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    } catch (AEADBadTagException e) {
      throw new WrongPassphraseException("the passphrase does not open share file " + file);
    } catch (GeneralSecurityException e) {
      throw new FormatException("damaged stand-in share file: " + file);
    }
  }

  private static String header(Share s) {
    return SHARE_MAGIC + "\nset=" + s.setId() + "\nname=" + s.name() + "\nindex=" + s.index()
        + "\nn=" + s.n() + "\nk=" + s.k() + "\n";
  }

  private static SecretKeySpec kek(String passphrase, byte[] salt) throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(passphrase.toCharArray(), salt, KDF_ITERATIONS, 256);
    try {
      byte[] k = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec)
          .getEncoded();
      try {
        return new SecretKeySpec(k, "AES");
      } finally {
        Arrays.fill(k, (byte) 0);
      }
    } finally {
      spec.clearPassword();
    }
  }

  private static String passCheck(byte[] salt, String passphrase) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(salt);
      d.update(passphrase.getBytes(StandardCharsets.UTF_8));
      return HEX.formatHex(d.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static Map<String, String> fields(String text, String sep) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int i = line.indexOf(sep);
      if (!line.startsWith("#") && i > 0) {
        out.putIfAbsent(line.substring(0, i).strip(), line.substring(i + 1).strip());
      }
    }
    return out;
  }

  private static void worldReadable(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to loosen
    }
  }
}
