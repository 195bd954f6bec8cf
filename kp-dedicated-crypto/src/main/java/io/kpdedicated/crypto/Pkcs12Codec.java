package io.kpdedicated.crypto;

import io.kpdedicated.crypto.KeyFileException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;

/**
 * Builds and reads PKCS#12 (PFX) files for {@link AdminIdentity}. Package-private; thread-safe.
 *
 * <p>Protected files: the private key sits in a PKCS#8 shrouded key bag encrypted with PBES2
 * (PBKDF2-HMAC-SHA256, AES-256-CBC); the certificate sits in a plain bag (it is public); the whole
 * file carries an HMAC-SHA256 integrity MAC (PKCS#12 key derivation) with the same iteration count,
 * so the MAC is no cheaper to attack than the key. {@code keytool} and OpenSSL 3 read such files.
 *
 * <p>Unprotected files: the same layout without MAC, the key bag encrypted under the empty
 * password (PBES2, one iteration). That protects nothing, but {@code keytool} lists only keys in
 * encrypted bags: a plain key bag shows as 0 entries in {@code keytool -list}. Files with a plain
 * key bag (written by earlier versions) still load.
 */
final class Pkcs12Codec {
  static final String ALIAS = "kp-dedicated-admin";
  /** The password of the key bag in an "unprotected" file: empty, so it protects nothing. */
  static final char[] EMPTY_PASSWORD = new char[0];
  /** PBKDF2 iterations under the empty password: any count protects nothing, so keep it cheap. */
  static final int UNPROTECTED_ITERATIONS = 1;

  private Pkcs12Codec() {}

  record Loaded(PrivateKey privateKey, X509Certificate certificate) {}

  static byte[] encode(
      PrivateKey key, X509Certificate cert, char[] password, int iterations, SecureRandom random) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      var keyId = ext.createSubjectKeyIdentifier(cert.getPublicKey());
      PKCS12SafeBagBuilder certBag = new JcaPKCS12SafeBagBuilder(cert);
      certBag.addBagAttribute(
          PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(ALIAS));
      certBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);
      PKCS12SafeBagBuilder keyBag;
      if (password != null) {
        OutputEncryptor encryptor = Pbes2.aes256Encryptor(password, iterations, random);
        keyBag = new JcaPKCS12SafeBagBuilder(key, encryptor);
      } else {
        // keytool lists only keys in shrouded (encrypted) bags; the empty password keeps the
        // file readable without a passphrase by keytool, OpenSSL and this SDK alike
        encodedKey(key);
        OutputEncryptor encryptor =
            Pbes2.aes256Encryptor(EMPTY_PASSWORD, UNPROTECTED_ITERATIONS, random);
        keyBag = new JcaPKCS12SafeBagBuilder(key, encryptor);
      }
      keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(ALIAS));
      keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, keyId);
      PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
      pfx.addData(certBag.build());
      pfx.addData(keyBag.build());
      PKCS12PfxPdu pdu;
      if (password != null) {
        BcPKCS12MacCalculatorBuilder mac =
            new BcPKCS12MacCalculatorBuilder(
                new SHA256Digest(),
                new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE));
        mac.setIterationCount(iterations);
        pdu = pfx.build(mac, password);
      } else {
        pdu = pfx.build(null, null);
      }
      return pdu.getEncoded("DER");
    } catch (IOException | GeneralSecurityException | PKCSException e) {
      throw new CryptoException(
          "cannot encode the admin identity as PKCS#12; the private key may not be exportable"
              + " (a token key stays in its token)",
          e);
    }
  }

  private static byte[] encodedKey(PrivateKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null) {
      throw new CryptoException(
          "the admin private key cannot be exported (it lives in a token), so it cannot be saved"
              + " to a file",
          null);
    }
    return encoded;
  }

  static Loaded decode(Path file, byte[] bytes, char[] password) {
    return decode(file, bytes, password, AdminIdentity.MAX_PBKDF2_ITERATIONS);
  }

  /**
   * Decodes a PKCS#12 file, refusing key-derivation iteration counts above {@code maxIterations}
   * (for the MAC and for every encrypted part) before deriving anything.
   */
  static Loaded decode(Path file, byte[] bytes, char[] password, int maxIterations) {
    PKCS12PfxPdu pfx;
    try {
      pfx = new PKCS12PfxPdu(bytes);
    } catch (IOException | RuntimeException e) {
      throw new KeyFileException(
          Reason.NOT_A_KEY_FILE,
          file,
          "file " + file + " is not a PKCS#12 admin identity file"
              + (looksLikePem(bytes) ? " (it looks like PEM: load it with loadPem)" : ""),
          null);
    }
    try {
      if (pfx.hasMac()) {
        if (password == null) {
          throw wrongPassphrase(file, "it is protected: give its passphrase");
        }
        Pbes2.checkIterations(
            pfx.toASN1Structure().getMacData().getIterationCount(), maxIterations);
        if (!pfx.isMacValid(
            new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE), password)) {
          throw wrongPassphrase(file, "the passphrase does not open it");
        }
      }
    } catch (PKCSException | OperatorCreationException | RuntimeException e) {
      if (e instanceof KeyFileException k) {
        throw k;
      }
      if (e instanceof Pbes2.TooCostlyException c) {
        throw tooCostly(file, c);
      }
      throw corrupt(file, "its integrity MAC cannot be checked", e);
    }
    // without a passphrase, try the empty password: "unprotected" files encrypt their key bag
    // under it (keytool lists only encrypted key bags); older ones hold a plain key bag
    InputDecryptorProvider decryptor =
        Pbes2.decryptorProvider(password == null ? EMPTY_PASSWORD : password, maxIterations);
    List<PrivateKeyInfo> keys = new ArrayList<>();
    List<X509CertificateHolder> certs = new ArrayList<>();
    try {
      for (ContentInfo info : pfx.getContentInfos()) {
        PKCS12SafeBagFactory factory;
        if (info.getContentType().equals(PKCSObjectIdentifiers.encryptedData)) {
          factory = new PKCS12SafeBagFactory(info, decryptor);
        } else {
          factory = new PKCS12SafeBagFactory(info);
        }
        for (PKCS12SafeBag bag : factory.getSafeBags()) {
          Object value = bag.getBagValue();
          if (value instanceof X509CertificateHolder holder) {
            certs.add(holder);
          } else if (value instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            keys.add(encrypted.decryptPrivateKeyInfo(decryptor));
          } else if (value instanceof PrivateKeyInfo plain) {
            keys.add(plain);
          }
        }
      }
    } catch (PKCSException | RuntimeException e) {
      if (e instanceof KeyFileException k) {
        throw k;
      }
      Pbes2.TooCostlyException costly = Pbes2.tooCostly(e);
      if (costly != null) {
        throw tooCostly(file, costly);
      }
      if (pfx.hasMac()) {
        throw corrupt(file, "its content does not decrypt although its MAC is valid", e);
      }
      if (password == null) {
        throw wrongPassphrase(file, "its private key is encrypted: give its passphrase");
      }
      throw wrongPassphrase(file, "its content does not decrypt with this passphrase");
    }
    if (keys.isEmpty()) {
      throw new KeyFileException(
          Reason.NOT_A_KEY_FILE, file, "PKCS#12 file " + file + " holds no private key", null);
    }
    PrivateKey key = toPrivateKey(file, keys.get(0));
    X509Certificate certificate = matchingCertificate(file, key, certs);
    return new Loaded(key, certificate);
  }

  private static PrivateKey toPrivateKey(Path file, PrivateKeyInfo info) {
    byte[] der = null;
    try {
      der = info.getEncoded();
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
      return RsaKeys.rsaFactory().generatePrivate(spec);
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyFileException(
          Reason.NOT_A_KEY_FILE,
          file,
          "the private key in " + file + " is not an RSA key; admin identities use RSA",
          null);
    } finally {
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  private static X509Certificate matchingCertificate(
      Path file, PrivateKey key, List<X509CertificateHolder> certs) {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (X509CertificateHolder holder : certs) {
      try {
        X509Certificate cert = converter.getCertificate(holder);
        if (cert.getPublicKey() instanceof RSAPublicKey pub
            && key instanceof java.security.interfaces.RSAKey rsa
            && pub.getModulus().equals(rsa.getModulus())) {
          return cert;
        }
      } catch (CertificateException e) {
        // try the next certificate
      }
    }
    throw new KeyFileException(
        Reason.NOT_A_KEY_FILE,
        file,
        "PKCS#12 file " + file + " holds no certificate for its private key",
        null);
  }

  static boolean looksLikePem(byte[] bytes) {
    int length = Math.min(bytes.length, 200);
    String start = new String(bytes, 0, length, java.nio.charset.StandardCharsets.US_ASCII);
    return start.contains("-----BEGIN ");
  }

  static KeyFileException wrongPassphrase(Path file, String what) {
    return new KeyFileException(
        Reason.WRONG_PASSPHRASE,
        file,
        "cannot open admin identity file " + file + ": " + what,
        null);
  }

  static KeyFileException tooCostly(Path file, Pbes2.TooCostlyException e) {
    return new KeyFileException(
        Reason.TOO_COSTLY,
        file,
        "admin identity file " + file + " was refused before deriving its key: "
            + e.getMessage() + "; re-export it with at most " + AdminIdentity.MAX_PBKDF2_ITERATIONS
            + " PBKDF2 iterations",
        null);
  }

  static KeyFileException corrupt(Path file, String what, Throwable cause) {
    return new KeyFileException(
        Reason.CORRUPT,
        file,
        "admin identity file " + file + " is damaged: " + what + "; use an intact copy",
        cause);
  }
}
