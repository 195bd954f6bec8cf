package io.kpdedicated.crypto;

import java.io.InputStream;
import java.math.BigInteger;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.CipherOutputStream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.GenericKey;
import org.bouncycastle.operator.InputDecryptor;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JceGenericKey;
import org.bouncycastle.pkcs.bc.BcPKCS12PBEInputDecryptorProviderBuilder;

/**
 * Password-based encryption of PKCS#8 key bags and PKCS#12 safes (PBES2, RFC 8018) with the Java
 * runtime's own providers (PBKDF2WithHmacSHA*, AES/CBC and DESede/CBC with PKCS#5 padding), so no
 * BouncyCastle JCE provider is needed: a runtime that only accepts signed JCE providers can run
 * the shaded, unsigned BouncyCastle. Legacy PKCS#12 PBE (SHA-1 with 3DES/RC2) is decrypted with
 * BouncyCastle's lightweight API. Package-private; stateless and thread-safe.
 */
final class Pbes2 {
  private static final int SALT_BYTES = 32;
  private static final int IV_BYTES = 16;

  private static final Map<ASN1ObjectIdentifier, String> PRFS =
      Map.of(
          PKCSObjectIdentifiers.id_hmacWithSHA1, "PBKDF2WithHmacSHA1",
          PKCSObjectIdentifiers.id_hmacWithSHA224, "PBKDF2WithHmacSHA224",
          PKCSObjectIdentifiers.id_hmacWithSHA256, "PBKDF2WithHmacSHA256",
          PKCSObjectIdentifiers.id_hmacWithSHA384, "PBKDF2WithHmacSHA384",
          PKCSObjectIdentifiers.id_hmacWithSHA512, "PBKDF2WithHmacSHA512");

  private record Scheme(String keyAlgorithm, String transformation, int keyBytes) {}

  private static final Map<ASN1ObjectIdentifier, Scheme> SCHEMES =
      Map.of(
          NISTObjectIdentifiers.id_aes128_CBC, new Scheme("AES", "AES/CBC/PKCS5Padding", 16),
          NISTObjectIdentifiers.id_aes192_CBC, new Scheme("AES", "AES/CBC/PKCS5Padding", 24),
          NISTObjectIdentifiers.id_aes256_CBC, new Scheme("AES", "AES/CBC/PKCS5Padding", 32),
          PKCSObjectIdentifiers.des_EDE3_CBC, new Scheme("DESede", "DESede/CBC/PKCS5Padding", 24));

  private Pbes2() {}

  /**
   * An encryptor for PBES2 with PBKDF2-HMAC-SHA256 (32-byte salt, {@code iterations}) and
   * AES-256-CBC, the parameters OpenSSL 3 and keytool write by default.
   */
  static OutputEncryptor aes256Encryptor(char[] password, int iterations, SecureRandom random)
      throws GeneralSecurityException {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    AlgorithmIdentifier prf =
        new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);
    AlgorithmIdentifier algorithm =
        new AlgorithmIdentifier(
            PKCSObjectIdentifiers.id_PBES2,
            new PBES2Parameters(
                new KeyDerivationFunc(
                    PKCSObjectIdentifiers.id_PBKDF2, new PBKDF2Params(salt, iterations, prf)),
                new EncryptionScheme(
                    NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv))));
    Scheme scheme = SCHEMES.get(NISTObjectIdentifiers.id_aes256_CBC);
    SecretKeySpec key = deriveKey(PRFS.get(prf.getAlgorithm()), password, salt, iterations, scheme);
    Cipher cipher = Cipher.getInstance(scheme.transformation());
    cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
    GenericKey genericKey = new JceGenericKey(algorithm, key);
    return new OutputEncryptor() {
      @Override
      public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
      }

      @Override
      public OutputStream getOutputStream(OutputStream out) {
        return new CipherOutputStream(out, cipher);
      }

      @Override
      public GenericKey getKey() {
        return genericKey;
      }
    };
  }

  /**
   * A decryptor provider for PBES2 (PBKDF2 with HMAC-SHA1/224/256/384/512; AES-CBC or 3DES-CBC)
   * and for legacy PKCS#12 PBE schemes. Other schemes fail with {@link
   * OperatorCreationException}. The provider keeps {@code password}; the caller wipes it after use.
   */
  static InputDecryptorProvider decryptorProvider(char[] password, int maxIterations) {
    InputDecryptorProvider legacy = new BcPKCS12PBEInputDecryptorProviderBuilder().build(password);
    return algorithm -> {
      ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
      if (oid.on(PKCSObjectIdentifiers.pkcs_12PbeIds)) {
        BigInteger iterations;
        try {
          iterations = PKCS12PBEParams.getInstance(algorithm.getParameters()).getIterations();
        } catch (RuntimeException e) {
          throw new OperatorCreationException("malformed PKCS#12 PBE parameters", e);
        }
        checkIterations(iterations, maxIterations);
        return legacy.get(algorithm);
      }
      if (!oid.equals(PKCSObjectIdentifiers.id_PBES2)) {
        throw new UnsupportedSchemeException("password-based encryption " + oid);
      }
      try {
        PBES2Parameters params = PBES2Parameters.getInstance(algorithm.getParameters());
        if (!params.getKeyDerivationFunc().getAlgorithm().equals(PKCSObjectIdentifiers.id_PBKDF2)) {
          throw new UnsupportedSchemeException(
              "key derivation " + params.getKeyDerivationFunc().getAlgorithm());
        }
        PBKDF2Params kdf = PBKDF2Params.getInstance(params.getKeyDerivationFunc().getParameters());
        checkIterations(kdf.getIterationCount(), maxIterations);
        String prf = PRFS.get(kdf.getPrf().getAlgorithm());
        EncryptionScheme encryption = params.getEncryptionScheme();
        Scheme scheme = SCHEMES.get(encryption.getAlgorithm());
        if (prf == null || scheme == null) {
          throw new UnsupportedSchemeException(
              "PBES2 parameters " + kdf.getPrf().getAlgorithm() + " / " + encryption.getAlgorithm());
        }
        if (kdf.getKeyLength() != null && kdf.getKeyLength().intValue() != scheme.keyBytes()) {
          throw new OperatorCreationException("PBES2 key length does not match its cipher");
        }
        byte[] iv = ASN1OctetString.getInstance(encryption.getParameters()).getOctets();
        SecretKeySpec key =
            deriveKey(prf, password, kdf.getSalt(), kdf.getIterationCount().intValueExact(), scheme);
        Cipher cipher = Cipher.getInstance(scheme.transformation());
        cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
        return new InputDecryptor() {
          @Override
          public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
          }

          @Override
          public InputStream getInputStream(InputStream in) {
            return new CipherInputStream(in, cipher);
          }
        };
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new OperatorCreationException("cannot set up PBES2 decryption", e);
      }
    };
  }

  /**
   * Refuses an iteration count above {@code max} (or below 1) before any derivation.
   *
   * @throws TooCostlyException if the count is above {@code max}
   * @throws OperatorCreationException if the count is not positive
   */
  static void checkIterations(BigInteger iterations, int max) throws OperatorCreationException {
    if (iterations == null || iterations.signum() <= 0) {
      throw new OperatorCreationException("the iteration count is not a positive number");
    }
    if (iterations.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new TooCostlyException(iterations, max);
    }
  }

  /** A file asks for more key-derivation iterations than the reader allows. */
  static final class TooCostlyException extends OperatorCreationException {
    private static final long serialVersionUID = 1L;

    TooCostlyException(BigInteger iterations, int max) {
      super(
          "it asks for " + iterations + " key-derivation iterations, more than the " + max
              + " this SDK runs for a file before it is authenticated");
    }
  }

  /**
   * Returns the too-costly failure somewhere in {@code e}'s cause chain, if there is one.
   *
   * @param e a decryption failure
   * @return the failure, or {@code null}
   */
  static TooCostlyException tooCostly(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TooCostlyException c) {
        return c;
      }
    }
    return null;
  }

  private static SecretKeySpec deriveKey(
      String prf, char[] password, byte[] salt, int iterations, Scheme scheme)
      throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, scheme.keyBytes() * 8);
    byte[] bytes = null;
    try {
      bytes = SecretKeyFactory.getInstance(prf).generateSecret(spec).getEncoded();
      return new SecretKeySpec(bytes, scheme.keyAlgorithm());
    } finally {
      spec.clearPassword();
      if (bytes != null) {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }

  /** A key file uses an encryption scheme this class does not implement; the message names it. */
  static final class UnsupportedSchemeException extends OperatorCreationException {
    private static final long serialVersionUID = 1L;

    UnsupportedSchemeException(String scheme) {
      super("unsupported " + scheme);
    }
  }

  /**
   * Returns the unsupported-scheme failure somewhere in {@code e}'s cause chain, if there is one.
   *
   * @param e a decryption failure
   * @return the failure naming the scheme, or {@code null}
   */
  static UnsupportedSchemeException unsupportedScheme(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnsupportedSchemeException u) {
        return u;
      }
    }
    return null;
  }
}
