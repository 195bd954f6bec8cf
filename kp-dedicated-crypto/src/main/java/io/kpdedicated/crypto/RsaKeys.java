package io.kpdedicated.crypto;

import io.kpdedicated.crypto.internal.Hex;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * RSA public-key encodings, signature checks and RSA-OAEP key transport, shared by clients and the
 * emulator.
 *
 * <p>Signatures are RSA PKCS#1 v1.5 with SHA-256 ({@code SHA256withRSA}); key transport is
 * RSA-OAEP with SHA-256 and MGF1-SHA-256 and an empty label. All methods are static and
 * thread-safe; they use the Java runtime's providers, so keys held in a PKCS#11 token work too.
 */
public final class RsaKeys {
  /**
   * Smallest RSA key, in bits, that this SDK accepts anywhere (admin identities, public keys
   * parsed from PEM): 2048. Smaller keys can be factored with feasible effort; NIST SP 800-131A
   * disallows them for digital signatures. Other modules check keys with {@link #checkKeySize}.
   */
  public static final int MIN_RSA_BITS = 2048;

  /**
   * Largest RSA key, in bits, that this SDK accepts: 16384, the largest the Java runtime verifies
   * with. It bounds the work a crafted key could cause.
   */
  public static final int MAX_RSA_BITS = 16384;

  private static final String PKCS1_BEGIN = "-----BEGIN RSA PUBLIC KEY-----";
  private static final String PKCS1_END = "-----END RSA PUBLIC KEY-----";
  private static final String SPKI_BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String SPKI_END = "-----END PUBLIC KEY-----";
  private static final String OAEP = "RSA/ECB/OAEPPadding";
  private static final OAEPParameterSpec OAEP_SHA256 =
      new OAEPParameterSpec(
          "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

  private RsaKeys() {}

  /**
   * Checks that an RSA key (public or private) has at least {@link #MIN_RSA_BITS} and at most
   * {@link #MAX_RSA_BITS} bits. The one place this SDK's RSA size limit lives: the CLI and the
   * emulator call it for keys that enter from outside.
   *
   * @param <K> the key type
   * @param key the key; never null
   * @return {@code key}
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if the key is too small (the message says why and what to
   *     use instead) or too large
   */
  public static <K extends RSAKey> K checkKeySize(K key) {
    Objects.requireNonNull(key, "key");
    String problem = keySizeProblem(key.getModulus() == null ? -1 : key.getModulus().bitLength());
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return key;
  }

  /**
   * Says what is wrong with an RSA key size, or returns null when it is allowed.
   *
   * @param bits the modulus length in bits, or -1 when the key does not tell it
   * @return the problem in words, or null
   */
  static String keySizeProblem(int bits) {
    if (bits < 0) {
      return null; // a token key that hides its modulus; its certificate is checked instead
    }
    if (bits < MIN_RSA_BITS) {
      return "an RSA-" + bits + " key is too weak: RSA keys need at least " + MIN_RSA_BITS
          + " bits (smaller ones can be factored with feasible effort, and NIST SP 800-131A"
          + " disallows them for signatures); use an RSA key of 2048, 3072 or 4096 bits";
    }
    if (bits > MAX_RSA_BITS) {
      return "an RSA-" + bits + " key is larger than the " + MAX_RSA_BITS + " bits this SDK"
          + " accepts; use an RSA key of 2048, 3072 or 4096 bits";
    }
    return null;
  }

  /**
   * Encodes as PKCS#1 PEM: {@code -----BEGIN RSA PUBLIC KEY-----}, base64 lines of 64 characters,
   * {@code \n} line ends (also after the last line), as the claim call sends it.
   *
   * @param key the key; never null
   * @return the PEM text
   * @throws NullPointerException if {@code key} is null
   */
  public static String toPkcs1Pem(RSAPublicKey key) {
    Objects.requireNonNull(key, "key");
    byte[] der;
    try {
      der =
          new org.bouncycastle.asn1.pkcs.RSAPublicKey(key.getModulus(), key.getPublicExponent())
              .getEncoded();
    } catch (IOException e) {
      throw new CryptoException("cannot encode the RSA public key as PKCS#1", e);
    }
    return pem(PKCS1_BEGIN, PKCS1_END, der);
  }

  /**
   * Encodes as SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}), {@code \n} line ends.
   *
   * @param key the key; never null
   * @return the PEM text
   */
  public static String toSpkiPem(RSAPublicKey key) {
    Objects.requireNonNull(key, "key");
    return pem(SPKI_BEGIN, SPKI_END, key.getEncoded());
  }

  /**
   * Parses PKCS#1 PEM ({@code RSA PUBLIC KEY}) and also SubjectPublicKeyInfo PEM ({@code PUBLIC
   * KEY}); {@code \n} or {@code \r\n} line ends, surrounding blank space ignored.
   *
   * @param pem the PEM text; never null
   * @return the key
   * @throws NullPointerException if {@code pem} is null
   * @throws CryptoException if the text is not one of these PEM forms of an RSA public key, or
   *     the key is smaller than {@link #MIN_RSA_BITS} or larger than {@link #MAX_RSA_BITS} bits
   *     (the message says why)
   */
  public static RSAPublicKey fromPem(String pem) {
    RSAPublicKey key = parsePem(pem);
    String problem = keySizeProblem(key.getModulus().bitLength());
    if (problem != null) {
      throw new CryptoException(problem, null);
    }
    return key;
  }

  /**
   * Reads an RSA public key from PEM like {@link #fromPem} but without the size check, for a
   * verifier that must tell a weak key apart from text that is no key (then call
   * {@link #checkKeySize}).
   *
   * @param pem PKCS#1 ({@code RSA PUBLIC KEY}) or SubjectPublicKeyInfo ({@code PUBLIC KEY}) PEM
   * @return the key, of any size
   * @throws CryptoException if the text is not such a key
   */
  public static RSAPublicKey fromPemAnySize(String pem) {
    return parsePem(pem);
  }

  private static RSAPublicKey parsePem(String pem) {
    Objects.requireNonNull(pem, "pem");
    String text = pem.strip();
    try {
      if (text.startsWith(PKCS1_BEGIN) && text.endsWith(PKCS1_END)) {
        byte[] der = base64Body(text, PKCS1_BEGIN, PKCS1_END);
        org.bouncycastle.asn1.pkcs.RSAPublicKey k =
            org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
        return (RSAPublicKey)
            rsaFactory().generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
      }
      if (text.startsWith(SPKI_BEGIN) && text.endsWith(SPKI_END)) {
        byte[] der = base64Body(text, SPKI_BEGIN, SPKI_END);
        SubjectPublicKeyInfo.getInstance(der); // structure check
        PublicKey key = rsaFactory().generatePublic(new X509EncodedKeySpec(der));
        if (key instanceof RSAPublicKey rsa) {
          return rsa;
        }
      }
    } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
      throw new CryptoException(
          "the PEM text is not a valid RSA public key (PKCS#1 RSA PUBLIC KEY or PUBLIC KEY)", e);
    }
    throw new CryptoException(
        "the text is not a PEM RSA public key: expected \"" + PKCS1_BEGIN + "\" or \"" + SPKI_BEGIN
            + "\"",
        null);
  }

  /**
   * Returns {@code MOD=<hex>\nPEXP=<hex>\n}: modulus and public exponent as unsigned big-endian
   * upper-case hex without leading zero bytes.
   *
   * @param key the key; never null
   * @return the text
   */
  public static String toModExpText(RSAPublicKey key) {
    Objects.requireNonNull(key, "key");
    return "MOD=" + unsignedHex(key.getModulus()) + "\nPEXP="
        + unsignedHex(key.getPublicExponent()) + "\n";
  }

  /**
   * Verifies a SHA256withRSA signature; false for a bad signature, never throws for one.
   *
   * @param key the signer's public key
   * @param message the signed bytes
   * @param signature the signature
   * @return whether the signature is valid
   * @throws NullPointerException if an argument is null
   * @throws CryptoException if the key cannot be used for RSA verification at all
   */
  public static boolean verify(RSAPublicKey key, byte[] message, byte[] signature) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(signature, "signature");
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (SignatureException e) {
      return false;
    } catch (InvalidKeyException e) {
      throw new CryptoException("the public key cannot verify SHA256withRSA signatures", e);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("SHA256withRSA is not available in this Java runtime", e);
    }
  }

  /**
   * Encrypts a short secret (a key) to {@code recipient} with RSA-OAEP, SHA-256, MGF1-SHA-256.
   *
   * @param recipient the recipient's public key
   * @param secret the bytes to encrypt (at most modulus length - 66 bytes); not modified
   * @return the ciphertext, as long as the modulus
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the secret is too long for the key
   * @throws CryptoException if the key cannot be used
   */
  public static byte[] wrapOaep(RSAPublicKey recipient, byte[] secret) {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(secret, "secret");
    int max = (recipient.getModulus().bitLength() + 7) / 8 - 2 * 32 - 2;
    if (secret.length > max) {
      throw new IllegalArgumentException(
          "RSA-OAEP-256 with this key carries at most " + max + " bytes, not " + secret.length);
    }
    try {
      Cipher cipher = Cipher.getInstance(OAEP);
      cipher.init(Cipher.ENCRYPT_MODE, recipient, OAEP_SHA256);
      return cipher.doFinal(secret);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot encrypt with RSA-OAEP-256 to this public key", e);
    }
  }

  /**
   * Decrypts what {@link #wrapOaep} produced; throws {@link CryptoException} when it does not open.
   *
   * @param recipient the recipient's private key (software or token)
   * @param wrapped the ciphertext
   * @return the secret; the caller wipes it
   * @throws NullPointerException if an argument is null
   * @throws CryptoException if the ciphertext does not decrypt under this key
   */
  public static byte[] unwrapOaep(PrivateKey recipient, byte[] wrapped) {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(wrapped, "wrapped");
    try {
      Cipher cipher = Cipher.getInstance(OAEP);
      cipher.init(Cipher.DECRYPT_MODE, recipient, OAEP_SHA256);
      return cipher.doFinal(wrapped);
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      throw new CryptoException(
          "the RSA-OAEP-256 ciphertext does not open with this private key: it was made for"
              + " another key or damaged",
          e);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("cannot decrypt RSA-OAEP-256 with this private key", e);
    }
  }

  static KeyFactory rsaFactory() throws GeneralSecurityException {
    return KeyFactory.getInstance("RSA");
  }

  static String pem(String begin, String end, byte[] der) {
    String b64 = Base64.getEncoder().encodeToString(der);
    StringBuilder sb = new StringBuilder(begin).append('\n');
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    return sb.append(end).append('\n').toString();
  }

  private static byte[] base64Body(String text, String begin, String end) {
    String body = text.substring(begin.length(), text.length() - end.length());
    return Base64.getDecoder().decode(body.replaceAll("\\s", ""));
  }

  private static String unsignedHex(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int start = 0;
    while (start < bytes.length - 1 && bytes[start] == 0) {
      start++;
    }
    return Hex.upper(Arrays.copyOfRange(bytes, start, bytes.length));
  }
}
