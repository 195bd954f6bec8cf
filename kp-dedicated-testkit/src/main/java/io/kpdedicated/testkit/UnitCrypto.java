package io.kpdedicated.testkit;

import io.kpdedicated.http.SignedCommand;
import io.kpdedicated.crypto.KeyCheckValue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography a simulated crypto unit performs: parsing the admin key, checking signatures,
 * unwrapping an imported key, computing its check value.
 *
 * <p>Written with the JDK's providers (and BouncyCastle's ASN.1 classes only), independently of the
 * client-side {@code io.kpdedicated.crypto} code on purpose: the in-memory cloud plays the other
 * side of the protocol, so a mistake in the client's encoding shows up as a refused call instead of
 * cancelling itself out. Stateless and thread-safe.
 */
final class UnitCrypto {
  private UnitCrypto() {}

  private static final OAEPParameterSpec OAEP_SHA256 = new OAEPParameterSpec(
      "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

  /**
   * Parses an RSA public key from PEM: PKCS#1 ({@code RSA PUBLIC KEY}) or SubjectPublicKeyInfo
   * ({@code PUBLIC KEY}).
   *
   * @throws IllegalArgumentException if the text is not such a PEM
   */
  static RSAPublicKey parsePublicKeyPem(String pem) {
    if (pem == null) {
      throw new IllegalArgumentException("no public key given");
    }
    String text = pem.trim();
    String type;
    if (text.startsWith("-----BEGIN RSA PUBLIC KEY-----")
        && text.endsWith("-----END RSA PUBLIC KEY-----")) {
      type = "RSA PUBLIC KEY";
    } else if (text.startsWith("-----BEGIN PUBLIC KEY-----")
        && text.endsWith("-----END PUBLIC KEY-----")) {
      type = "PUBLIC KEY";
    } else {
      throw new IllegalArgumentException("not a PEM RSA public key");
    }
    String body = text.substring(("-----BEGIN " + type + "-----").length(),
        text.length() - ("-----END " + type + "-----").length());
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PEM body is not base64", e);
    }
    try {
      KeyFactory factory = KeyFactory.getInstance("RSA");
      if (type.equals("PUBLIC KEY")) {
        return (RSAPublicKey) factory.generatePublic(new X509EncodedKeySpec(der));
      }
      org.bouncycastle.asn1.pkcs.RSAPublicKey pkcs1 =
          org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
      return (RSAPublicKey) factory.generatePublic(
          new RSAPublicKeySpec(pkcs1.getModulus(), pkcs1.getPublicExponent()));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("PEM does not hold an RSA public key", e);
    }
  }

  /** Encodes an RSA public key as PKCS#1 PEM with {@code \n} line ends and 64-character lines. */
  static String toPkcs1Pem(RSAPublicKey key) {
    byte[] der;
    try {
      der = new org.bouncycastle.asn1.pkcs.RSAPublicKey(key.getModulus(), key.getPublicExponent())
          .getEncoded();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot encode an RSA public key", e);
    }
    String b64 = Base64.getEncoder().encodeToString(der);
    StringBuilder pem = new StringBuilder("-----BEGIN RSA PUBLIC KEY-----\n");
    for (int i = 0; i < b64.length(); i += 64) {
      pem.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    return pem.append("-----END RSA PUBLIC KEY-----\n").toString();
  }

  /** Returns whether two RSA public keys are the same key. */
  static boolean sameKey(RSAPublicKey a, RSAPublicKey b) {
    return a.getModulus().equals(b.getModulus())
        && a.getPublicExponent().equals(b.getPublicExponent());
  }

  /** Returns whether {@code body} hashes to the digest the command carries. */
  static boolean bodyMatches(SignedCommand command, byte[] body) {
    byte[] actual = sha256Hex(body).getBytes(StandardCharsets.US_ASCII);
    byte[] claimed = command.bodySha256Hex().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(actual, claimed);
  }

  /** Verifies the SHA256withRSA signature of a command's signature base. Never throws for a bad one. */
  static boolean signatureValid(SignedCommand command, RSAPublicKey admin) {
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(admin);
      verifier.update(command.signatureBase());
      return verifier.verify(command.signature());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Decrypts an RSA-OAEP (SHA-256, MGF1-SHA-256, empty label) wrapped secret.
   *
   * @throws IllegalArgumentException if it does not open with {@code key}
   */
  static byte[] unwrapOaep(PrivateKey key, byte[] wrapped) {
    try {
      Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, OAEP_SHA256);
      return cipher.doFinal(wrapped);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("wrapped key does not open with the unit's import key", e);
    }
  }

  /** Encrypts with RSA-OAEP (SHA-256, MGF1-SHA-256, empty label); used by tests of the unit side. */
  static byte[] wrapOaep(RSAPublicKey key, byte[] secret) {
    try {
      Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, OAEP_SHA256);
      return cipher.doFinal(secret);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA-OAEP with SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * Computes the ANSI X9.24-1:2017 key check value of an AES key: AES-CMAC over one block of
   * sixteen zero bytes, leftmost five bytes.
   */
  static KeyCheckValue checkValue(byte[] aesKey) {
    try {
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
      byte[] l = aes.doFinal(new byte[16]);
      // The message is one complete block of zeros, so CMAC = AES_K(0 XOR K1) = AES_K(K1).
      byte[] k1 = doubleInGf128(l);
      byte[] mac = aes.doFinal(k1);
      Arrays.fill(l, (byte) 0);
      Arrays.fill(k1, (byte) 0);
      return new KeyCheckValue(HexFormat.of().formatHex(mac, 0, 5));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an AES key", e);
    }
  }

  private static byte[] doubleInGf128(byte[] block) {
    byte[] out = new BigInteger(1, block).shiftLeft(1).toByteArray();
    byte[] result = new byte[16];
    int copy = Math.min(16, out.length);
    System.arraycopy(out, out.length - copy, result, 16 - copy, copy);
    if ((block[0] & 0x80) != 0) {
      result[15] ^= (byte) 0x87;
    }
    return result;
  }

  /** Returns the lower-case hex SHA-256 of {@code body}. */
  static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Generates an RSA key pair. */
  static KeyPair generateRsa(int bits, SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is missing from this JDK", e);
    }
  }
}
