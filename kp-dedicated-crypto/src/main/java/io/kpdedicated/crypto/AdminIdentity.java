package io.kpdedicated.crypto;

import io.kpdedicated.crypto.KeyFileException.Reason;
import io.kpdedicated.crypto.internal.Hex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.bc.BcPEMDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * A crypto-unit administrator's signature key: an RSA private key with a self-signed X.509
 * certificate whose subject common name (CN) names the administrator.
 *
 * <p><b>Sources</b>: {@link #generate} (RSA 2048, 3072 or 4096 bits), {@link #load} (a PKCS#12 file
 * as {@link #save} writes it, or as {@code keytool}/{@code openssl} write them), {@link #loadPem}
 * (an encrypted PKCS#8 PEM private key, OpenSSL's {@code openssl genpkey ... -aes256} output), and
 * {@link #of} (any JCA private key, for example one that stays in a PKCS#11 token).
 *
 * <p><b>Files</b>: {@link #save} writes PKCS#12 protected with PBES2 (PBKDF2-HMAC-SHA256, {@value
 * #DEFAULT_PBKDF2_ITERATIONS} iterations by default, AES-256-CBC) and an HMAC-SHA256 integrity MAC,
 * owner-only (0600), atomically, never over an existing file unless asked; {@code keytool -list
 * -storetype PKCS12} and {@code openssl pkcs12 -info} open it. A file without passphrase is only
 * written by the explicit {@link #saveUnprotected}.
 *
 * <p><b>Signing</b>: SHA256withRSA (RSA PKCS#1 v1.5), as the signed-REST session protocol expects.
 *
 * <p>Thread-safe. {@link #close()} destroys the private key as far as its provider allows (the
 * JDK's software RSA keys cannot be wiped; token keys can be), after which signing throws {@link
 * IllegalStateException}. {@link #toString()} shows the name and a public-key fingerprint only.
 */
public final class AdminIdentity implements AdminSigner, Destroyable, AutoCloseable {
  /** PBKDF2-HMAC-SHA256 iterations used by {@link #save(Path, Passphrase, boolean)} (OWASP 2023). */
  public static final int DEFAULT_PBKDF2_ITERATIONS = 600_000;
  /** Fewest PBKDF2 iterations {@link #save(Path, Passphrase, boolean, int)} accepts. */
  public static final int MIN_PBKDF2_ITERATIONS = 10_000;
  /**
   * Most PBKDF2 (or PKCS#12 key derivation) iterations a loaded file may ask for, for its key and
   * for its MAC: 10 000 000, about 16 times the default and a few seconds of work. A file asking
   * for more is refused as {@link Reason#TOO_COSTLY} before any derivation, so a crafted file
   * cannot keep a reader busy for minutes.
   */
  public static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
  /** Longest administrator name (the X.500 upper bound of a common name). */
  public static final int MAX_NAME_LENGTH = 64;
  /** How long a generated self-signed certificate is valid. */
  public static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(20 * 365);

  private static final long MAX_FILE_BYTES = 1024 * 1024;

  private final PrivateKey privateKey;
  private final X509Certificate certificate;
  private final RSAPublicKey publicKey;
  private final String name;
  private volatile boolean destroyed;

  private AdminIdentity(PrivateKey privateKey, X509Certificate certificate) {
    this.privateKey = privateKey;
    this.certificate = certificate;
    this.publicKey = (RSAPublicKey) certificate.getPublicKey();
    this.name = commonName(certificate);
  }

  /**
   * Generates an identity with an RSA key of {@code rsaBits} (2048, 3072 or 4096) and public
   * exponent 65537, and a self-signed certificate valid from now for {@link #CERTIFICATE_VALIDITY}.
   *
   * @param adminName the administrator's name, 1 to 64 characters, no control characters
   * @param rsaBits 2048, 3072 or 4096
   * @param random the source of randomness
   * @return the new identity
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name or key size is not allowed
   * @throws CryptoException if the Java runtime cannot generate RSA keys
   */
  public static AdminIdentity generate(String adminName, int rsaBits, SecureRandom random) {
    return generate(adminName, rsaBits, random, Clock.systemUTC());
  }

  /**
   * Like {@link #generate(String, int, SecureRandom)} with the clock that dates the certificate.
   *
   * @param adminName the administrator's name, 1 to 64 characters, no control characters
   * @param rsaBits 2048, 3072 or 4096
   * @param random the source of randomness
   * @param clock the clock for the certificate's validity
   * @return the new identity
   */
  public static AdminIdentity generate(
      String adminName, int rsaBits, SecureRandom random, Clock clock) {
    checkAdminName(adminName);
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(clock, "clock");
    if (rsaBits != 2048 && rsaBits != 3072 && rsaBits != 4096) {
      String problem = RsaKeys.keySizeProblem(rsaBits);
      throw new IllegalArgumentException(
          "RSA key size must be 2048, 3072 or 4096, not " + rsaBits
              + (problem == null ? "" : " (" + problem + ")"));
    }
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(rsaBits, RSAKeyGenParameterSpec.F4), random);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot generate an RSA-" + rsaBits + " key pair", e);
    }
    X509Certificate cert =
        selfSign(adminName, pair.getPrivate(), (RSAPublicKey) pair.getPublic(), random, clock);
    return new AdminIdentity(pair.getPrivate(), cert);
  }

  /**
   * Loads a PKCS#12 identity file; {@code passphrase} null only for a file saved unprotected.
   *
   * @param pkcs12File the file
   * @param passphrase its passphrase, or null for a file written by {@link #saveUnprotected}
   * @return the identity
   * @throws NullPointerException if {@code pkcs12File} is null
   * @throws IllegalStateException if the passphrase was destroyed
   * @throws KeyFileException {@link Reason#NOT_READABLE}, {@link Reason#NOT_A_KEY_FILE}, {@link
   *     Reason#WRONG_PASSPHRASE} (also when a protected file is loaded without passphrase), {@link
   *     Reason#CORRUPT}, {@link Reason#TOO_COSTLY} (a PBKDF2 iteration count above {@link
   *     #MAX_PBKDF2_ITERATIONS}) or {@link Reason#WEAK_KEY} (an RSA key under {@link
   *     RsaKeys#MIN_RSA_BITS} bits)
   */
  public static AdminIdentity load(Path pkcs12File, Passphrase passphrase) {
    Objects.requireNonNull(pkcs12File, "pkcs12File");
    byte[] bytes = readFile(pkcs12File);
    char[] chars = passphrase == null ? null : passphrase.copyChars();
    try {
      return fromPkcs12(pkcs12File, bytes, chars, MAX_PBKDF2_ITERATIONS);
    } finally {
      if (chars != null) {
        Arrays.fill(chars, '\0');
      }
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * Loads an identity from a PEM file holding an RSA private key: encrypted PKCS#8 ({@code
   * ENCRYPTED PRIVATE KEY}), or, when {@code passphrase} is null, unencrypted PKCS#8 or PKCS#1. The
   * certificate is {@code certificate} when given, else a {@code CERTIFICATE} block of the same file.
   *
   * @param pem the PEM file
   * @param passphrase the key's passphrase, or null for an unencrypted key
   * @param certificate the administrator's certificate, or null to take it from the file
   * @return the identity
   * @throws NullPointerException if {@code pem} is null
   * @throws IllegalArgumentException if the given certificate does not belong to the key
   * @throws KeyFileException {@link Reason#NOT_READABLE}, {@link Reason#NOT_A_KEY_FILE} (also when
   *     no certificate is given and the file holds none or one that does not fit its key, and
   *     when the key is encrypted with a scheme this SDK does not read, such as scrypt or PBES1;
   *     the message names the scheme),
   *     {@link Reason#WRONG_PASSPHRASE}, {@link Reason#TOO_COSTLY} (a PBKDF2 iteration count above
   *     {@link #MAX_PBKDF2_ITERATIONS}) or {@link Reason#WEAK_KEY} (an RSA key under {@link
   *     RsaKeys#MIN_RSA_BITS} bits)
   */
  public static AdminIdentity loadPem(
      Path pem, Passphrase passphrase, X509Certificate certificate) {
    Objects.requireNonNull(pem, "pem");
    return fromPem(pem, readPem(pem, passphrase), certificate);
  }

  /**
   * The PKCS#12 load from content: {@link #load} without the file system. {@code bytes} and
   * {@code chars} are not wiped here.
   */
  static AdminIdentity fromPkcs12(Path file, byte[] bytes, char[] chars, int maxIterations) {
    Pkcs12Codec.Loaded loaded = Pkcs12Codec.decode(file, bytes, chars, maxIterations);
    checkKeySize(file, loaded.certificate().getPublicKey());
    try {
      return new AdminIdentity(loaded.privateKey(), loaded.certificate());
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(
          Reason.NOT_A_KEY_FILE,
          file,
          "PKCS#12 file " + file + " holds an unusable certificate: " + e.getMessage(),
          null);
    }
  }

  /** The rest of {@link #loadPem(Path, Passphrase, X509Certificate)} once the PEM is read. */
  static AdminIdentity fromPem(Path pem, PemContent content, X509Certificate certificate) {
    checkKeySize(pem, content.privateKey());
    if (certificate != null) {
      return of(content.privateKey(), certificate);
    }
    X509Certificate cert = content.certificate();
    if (cert == null) {
      throw new KeyFileException(
          Reason.NOT_A_KEY_FILE,
          pem,
          "PEM file " + pem + " holds no certificate; pass the administrator's certificate, or"
              + " an administrator name to create a self-signed one",
          null);
    }
    checkKeySize(pem, cert.getPublicKey());
    try {
      return of(content.privateKey(), cert);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(
          Reason.NOT_A_KEY_FILE,
          pem,
          "PEM file " + pem + " holds a certificate that does not fit its private key ("
              + e.getMessage() + "); pass the administrator's certificate, or an administrator"
              + " name to create a self-signed one",
          null);
    }
  }

  /**
   * Loads an RSA private key from a PEM file as {@link #loadPem(Path, Passphrase, X509Certificate)}
   * does and creates a new self-signed certificate naming {@code adminName}.
   *
   * @param pem the PEM file
   * @param passphrase the key's passphrase, or null for an unencrypted key
   * @param adminName the administrator's name, 1 to 64 characters
   * @return the identity
   * @throws KeyFileException as {@link #loadPem(Path, Passphrase, X509Certificate)}
   */
  public static AdminIdentity loadPem(Path pem, Passphrase passphrase, String adminName) {
    Objects.requireNonNull(pem, "pem");
    checkAdminName(adminName);
    PemContent content = readPem(pem, passphrase);
    checkKeySize(pem, content.privateKey());
    RSAPublicKey pub = publicKeyOf(pem, content);
    X509Certificate cert =
        selfSign(adminName, content.privateKey(), pub, new SecureRandom(), Clock.systemUTC());
    return new AdminIdentity(content.privateKey(), cert);
  }

  /**
   * Uses an existing JCA private key (software or token) with its certificate. The key must belong
   * to the certificate's RSA public key: compared by modulus where the key exposes it, else checked
   * with a test signature.
   *
   * @param privateKey the RSA private key
   * @param certificate the certificate naming the administrator (CN)
   * @return the identity
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the certificate has no RSA key or an unreadable subject
   *     name, the key is smaller than
   *     {@link RsaKeys#MIN_RSA_BITS} bits (see {@link RsaKeys#checkKeySize}) or the keys do not
   *     match
   */
  public static AdminIdentity of(PrivateKey privateKey, X509Certificate certificate) {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(certificate, "certificate");
    if (!(certificate.getPublicKey() instanceof RSAPublicKey pub)) {
      throw new IllegalArgumentException("the admin certificate must hold an RSA public key");
    }
    RsaKeys.checkKeySize(pub);
    if (privateKey instanceof RSAKey rsa && rsa.getModulus() != null) {
      if (!rsa.getModulus().equals(pub.getModulus())) {
        throw new IllegalArgumentException("the private key does not belong to the certificate");
      }
    } else {
      byte[] probe = "kp-dedicated key match probe".getBytes(StandardCharsets.US_ASCII);
      if (!RsaKeys.verify(pub, probe, sign(privateKey, probe))) {
        throw new IllegalArgumentException("the private key does not belong to the certificate");
      }
    }
    return new AdminIdentity(privateKey, certificate);
  }

  /**
   * Saves as PKCS#12 (AES-256, PBKDF2-HMAC-SHA256 with {@value #DEFAULT_PBKDF2_ITERATIONS}
   * iterations, HMAC-SHA256 MAC), 0600, atomically.
   *
   * @param file the target file; its folder must exist
   * @param passphrase the file's passphrase (6-255 characters); not destroyed
   * @param overwrite whether an existing file may be replaced
   * @throws NullPointerException if {@code file} or {@code passphrase} is null
   * @throws IllegalStateException if this identity or the passphrase was destroyed
   * @throws CryptoException if the private key cannot be exported (a token key)
   * @throws KeyFileException {@link Reason#ALREADY_EXISTS} or {@link Reason#WRITE_FAILED}
   */
  public void save(Path file, Passphrase passphrase, boolean overwrite) {
    save(file, passphrase, overwrite, DEFAULT_PBKDF2_ITERATIONS);
  }

  /**
   * Like {@link #save(Path, Passphrase, boolean)} with a chosen PBKDF2 iteration count (for the MAC
   * too). Lower counts make the file cheaper to attack; use them for tests only.
   *
   * @param file the target file
   * @param passphrase the file's passphrase
   * @param overwrite whether an existing file may be replaced
   * @param pbkdf2Iterations at least {@value #MIN_PBKDF2_ITERATIONS}
   * @throws IllegalArgumentException if the iteration count is too low
   */
  public void save(Path file, Passphrase passphrase, boolean overwrite, int pbkdf2Iterations) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(passphrase, "passphrase");
    if (pbkdf2Iterations < MIN_PBKDF2_ITERATIONS) {
      throw new IllegalArgumentException(
          "PBKDF2 iterations must be at least " + MIN_PBKDF2_ITERATIONS + ", not "
              + pbkdf2Iterations);
    }
    checkAlive();
    char[] chars = passphrase.copyChars();
    try {
      byte[] pfx =
          Pkcs12Codec.encode(privateKey, certificate, chars, pbkdf2Iterations, new SecureRandom());
      SecureFiles.writeAtomically(file, pfx, overwrite);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /**
   * Saves as PKCS#12 <b>without</b> passphrase protection: the private key is readable by anyone
   * who can read the file. The file is still 0600 and written atomically. Load it with {@code
   * load(file, null)}.
   *
   * <p>The key sits in an encrypted key bag under the <em>empty</em> password (which protects
   * nothing) and the file has no integrity MAC, because {@code keytool} lists only keys in
   * encrypted bags. So {@code keytool -list -storetype PKCS12 -keystore FILE} lists it without a
   * password, and {@code openssl pkcs12 -in FILE -nodes -passin pass:} extracts the key.
   *
   * @param file the target file
   * @param overwrite whether an existing file may be replaced
   * @throws KeyFileException {@link Reason#ALREADY_EXISTS} or {@link Reason#WRITE_FAILED}
   */
  public void saveUnprotected(Path file, boolean overwrite) {
    Objects.requireNonNull(file, "file");
    checkAlive();
    byte[] pfx = Pkcs12Codec.encode(privateKey, certificate, null, 0, new SecureRandom());
    try {
      SecureFiles.writeAtomically(file, pfx, overwrite);
    } finally {
      Arrays.fill(pfx, (byte) 0);
    }
  }

  /** {@return the administrator name from the certificate subject (its CN)} */
  public String name() {
    return name;
  }

  /** {@return the self-signed (or given) certificate} */
  public X509Certificate certificate() {
    return certificate;
  }

  @Override
  public RSAPublicKey publicKey() {
    return publicKey;
  }

  /** {@return the RSA key size in bits} */
  public int rsaBits() {
    return publicKey.getModulus().bitLength();
  }

  /**
   * {@return the public key as PKCS#1 PEM with {@code \n} line ends, as the claim call sends it}
   */
  public String publicKeyPkcs1Pem() {
    return RsaKeys.toPkcs1Pem(publicKey);
  }

  /** {@return the public key as {@code MOD=<hex>\nPEXP=<hex>\n} text} */
  public String publicKeyModExpText() {
    return RsaKeys.toModExpText(publicKey);
  }

  /**
   * {@return the SHA-256 of the DER SubjectPublicKeyInfo as lower-case hex: a public fingerprint}
   */
  public String publicKeyFingerprint() {
    try {
      return Hex.lower(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new CryptoException("SHA-256 is not available in this Java runtime", e);
    }
  }

  /**
   * Signs with SHA256withRSA.
   *
   * @throws NullPointerException if {@code message} is null
   * @throws IllegalStateException if this identity was destroyed
   * @throws CryptoException if the key cannot sign
   */
  @Override
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    checkAlive();
    return sign(privateKey, message);
  }

  /**
   * Marks the identity destroyed and asks the private key to destroy itself; keys whose provider
   * cannot destroy them (the JDK's software RSA keys) are left to the garbage collector.
   * Idempotent.
   */
  @Override
  public void destroy() {
    destroyed = true;
    try {
      if (!privateKey.isDestroyed()) {
        privateKey.destroy();
      }
    } catch (DestroyFailedException | RuntimeException e) {
      // the provider cannot destroy this key; the identity refuses to use it from now on
    }
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Same as {@link #destroy()}. */
  @Override
  public void close() {
    destroy();
  }

  /** Returns the name, key size and public-key fingerprint; never private material. */
  @Override
  public String toString() {
    return "AdminIdentity[name=" + name + ", rsaBits=" + rsaBits() + ", publicKeySha256="
        + publicKeyFingerprint() + "]";
  }

  private void checkAlive() {
    if (destroyed) {
      throw new IllegalStateException("admin identity " + name + " was destroyed");
    }
  }

  private static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (InvalidKeyException e) {
      throw new CryptoException("the admin private key cannot make SHA256withRSA signatures", e);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("signing with SHA256withRSA failed", e);
    }
  }

  static String checkAdminName(String adminName) {
    Objects.requireNonNull(adminName, "adminName");
    if (adminName.isBlank() || adminName.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "an admin name has 1 to " + MAX_NAME_LENGTH + " characters and is not blank");
    }
    if (adminName.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("an admin name must not hold control characters");
    }
    return adminName;
  }

  private static X509Certificate selfSign(
      String adminName, PrivateKey key, RSAPublicKey pub, SecureRandom random, Clock clock) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, adminName).build();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    byte[] serial = new byte[16];
    random.nextBytes(serial);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(1, serial),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(CERTIFICATE_VALIDITY)),
              subject,
              pub);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pub));
      X509CertificateHolder holder =
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new CryptoException("cannot create the admin's self-signed certificate", e);
    }
  }

  /**
   * Returns the certificate subject's common name (else the whole subject).
   *
   * @throws IllegalArgumentException if the name is not valid text or holds control characters
   *     (it would be printed to terminals and logs)
   */
  private static String commonName(X509Certificate cert) {
    String name;
    try {
      X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
      RDN[] cns = subject.getRDNs(BCStyle.CN);
      if (cns.length > 0) {
        ASN1Encodable value = cns[0].getFirst().getValue();
        name = value instanceof ASN1String text
            ? text.getString()
            : IETFUtils.valueToString(value);
      } else {
        name = cert.getSubjectX500Principal().getName();
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "the admin certificate's subject name is not valid text", e);
    }
    if (name.codePoints().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "the admin certificate's subject name holds control characters");
    }
    return name;
  }

  /** A private key and the certificate found beside it (or null) in a PEM file. */
  record PemContent(PrivateKey privateKey, X509Certificate certificate) {}

  private static PemContent readPem(Path pem, Passphrase passphrase) {
    byte[] bytes = readFile(pem);
    char[] chars = passphrase == null ? null : passphrase.copyChars();
    try {
      return readPem(pem, bytes, chars, MAX_PBKDF2_ITERATIONS);
    } finally {
      if (chars != null) {
        Arrays.fill(chars, '\0');
      }
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * Reads the first private key and certificate of PEM content. Neither {@code bytes} nor {@code
   * chars} is wiped here: the caller owns them.
   *
   * @param pem the file, named in messages
   * @param bytes the content
   * @param chars the passphrase, or null
   * @param maxIterations the most PBKDF2 iterations an encrypted key may ask for
   * @return the key and certificate
   * @throws KeyFileException for every refusal
   */
  static PemContent readPem(Path pem, byte[] bytes, char[] chars, int maxIterations) {
    PrivateKeyInfo keyInfo = null;
    X509Certificate cert = null;
    try (PEMParser parser =
        new PEMParser(
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.US_ASCII))) {
      // read from the wipeable byte array: an unencrypted key must not linger in a String
      Object item;
      while ((item = parser.readObject()) != null) {
        if (item instanceof PKCS8EncryptedPrivateKeyInfo encrypted && keyInfo == null) {
          if (chars == null) {
            throw Pkcs12Codec.wrongPassphrase(
                pem, "its private key is encrypted: give its passphrase");
          }
          try {
            keyInfo =
                encrypted.decryptPrivateKeyInfo(Pbes2.decryptorProvider(chars, maxIterations));
          } catch (PKCSException | RuntimeException e) {
            Pbes2.TooCostlyException costly = Pbes2.tooCostly(e);
            if (costly != null) {
              throw Pkcs12Codec.tooCostly(pem, costly);
            }
            Pbes2.UnsupportedSchemeException unsupported = Pbes2.unsupportedScheme(e);
            if (unsupported != null) {
              throw new KeyFileException(Reason.NOT_A_KEY_FILE, pem,
                  "cannot open admin identity file " + pem + ": its private key is encrypted with an "
                      + unsupported.getMessage() + "; re-encrypt it with PBES2, PBKDF2-HMAC-SHA256"
                      + " and AES-256-CBC (openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf"
                      + " hmacWithSHA256)", null);
            }
            throw Pkcs12Codec.wrongPassphrase(
                pem, "the passphrase does not decrypt its private key (or the key is damaged)");
          }
        } else if (item instanceof PEMEncryptedKeyPair encrypted && keyInfo == null) {
          if (chars == null) {
            throw Pkcs12Codec.wrongPassphrase(
                pem, "its private key is encrypted: give its passphrase");
          }
          try {
            keyInfo =
                encrypted
                    .decryptKeyPair(new BcPEMDecryptorProvider(chars))
                    .getPrivateKeyInfo();
          } catch (IOException | RuntimeException e) {
            throw Pkcs12Codec.wrongPassphrase(
                pem, "the passphrase does not decrypt its private key (or the key is damaged)");
          }
        } else if (item instanceof PrivateKeyInfo plain && keyInfo == null) {
          keyInfo = plain;
        } else if (item instanceof PEMKeyPair pair && keyInfo == null) {
          keyInfo = pair.getPrivateKeyInfo();
        } else if (item instanceof X509CertificateHolder holder && cert == null) {
          cert = new JcaX509CertificateConverter().getCertificate(holder);
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      if (e instanceof KeyFileException k) {
        throw k;
      }
      throw new KeyFileException(
          Reason.NOT_A_KEY_FILE, pem, "file " + pem + " is not a readable PEM key file", null);
    }
    if (keyInfo == null) {
      throw new KeyFileException(
          Reason.NOT_A_KEY_FILE, pem, "PEM file " + pem + " holds no private key", null);
    }
    byte[] der = null;
    try {
      der = keyInfo.getEncoded();
      PrivateKey key =
          RsaKeys.rsaFactory().generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
      return new PemContent(key, cert);
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyFileException(
          Reason.NOT_A_KEY_FILE,
          pem,
          "the private key in " + pem + " is not an RSA key; admin identities use RSA",
          null);
    } finally {
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  /** Refuses a key file whose RSA key is outside {@link RsaKeys#checkKeySize}'s range. */
  private static void checkKeySize(Path file, java.security.Key key) {
    int bits = key instanceof RSAKey rsa && rsa.getModulus() != null
        ? rsa.getModulus().bitLength() : -1;
    String problem = RsaKeys.keySizeProblem(bits);
    if (problem != null) {
      throw new KeyFileException(
          Reason.WEAK_KEY, file, "cannot use admin identity file " + file + ": " + problem, null);
    }
  }

  private static RSAPublicKey publicKeyOf(Path pem, PemContent content) {
    if (content.privateKey() instanceof java.security.interfaces.RSAPrivateCrtKey crt) {
      try {
        return (RSAPublicKey)
            RsaKeys.rsaFactory()
                .generatePublic(
                    new java.security.spec.RSAPublicKeySpec(
                        crt.getModulus(), crt.getPublicExponent()));
      } catch (GeneralSecurityException e) {
        throw new CryptoException("cannot derive the public key of " + pem, e);
      }
    }
    throw new KeyFileException(
        Reason.NOT_A_KEY_FILE,
        pem,
        "the private key in " + pem + " does not carry its public exponent; pass its certificate",
        null);
  }

  private static byte[] readFile(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new KeyFileException(
            Reason.NOT_A_KEY_FILE, file, "file " + file + " is too large for a key file", null);
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(
          Reason.NOT_READABLE, file, "key file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new KeyFileException(
          Reason.NOT_READABLE,
          file,
          "cannot read key file " + file + " (" + e.getClass().getSimpleName() + ")",
          e);
    }
  }
}
