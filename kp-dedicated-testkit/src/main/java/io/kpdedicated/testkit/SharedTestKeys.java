package io.kpdedicated.testkit;

import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.CryptoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * RSA-2048 key pairs made once, when the test kit was written, and shipped with it
 * ({@code testbed-keys.pem}): the administrator every {@link Testbed} claims its units with, and
 * the units' import keys. Generating a 2048-bit RSA key takes from a few hundred milliseconds to
 * seconds on a busy machine; reading these takes none. They protect nothing but test data.
 */
final class SharedTestKeys {
  private static final String RESOURCE = "testbed-keys.pem";
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  private SharedTestKeys() {}

  /** {@return the administrator signer every testbed claims its units with} */
  static AdminSigner admin() {
    return Holder.ADMIN;
  }

  /** {@return the import key pairs every testbed's units use, one per unit index} */
  static List<KeyPair> importKeyPairs() {
    return Holder.IMPORT_POOL;
  }

  /** Read by the JVM on first access, once, thread-safely. */
  private static final class Holder {
    private static final List<KeyPair> ALL = read();
    static final AdminSigner ADMIN = new PairSigner(ALL.get(0));
    static final List<KeyPair> IMPORT_POOL = List.copyOf(ALL.subList(1, ALL.size()));
  }

  private static List<KeyPair> read() {
    String text;
    try (InputStream in = SharedTestKeys.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the test kit's resource " + RESOURCE + " is missing");
      }
      text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the test kit's resource " + RESOURCE, e);
    }
    List<KeyPair> pairs = new ArrayList<>();
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      for (int at = text.indexOf(BEGIN); at >= 0; at = text.indexOf(BEGIN, at + 1)) {
        int end = text.indexOf(END, at);
        byte[] der = Base64.getMimeDecoder().decode(text.substring(at + BEGIN.length(), end));
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
        RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(
            new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        pairs.add(new KeyPair(pub, key));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the test kit's resource " + RESOURCE + " is unreadable", e);
    }
    if (pairs.size() != 4) {
      throw new IllegalStateException("the test kit's resource " + RESOURCE
          + " must hold 4 keys, not " + pairs.size());
    }
    return List.copyOf(pairs);
  }

  /** Signs with SHA256withRSA, as the session protocol expects. Thread-safe. */
  private record PairSigner(KeyPair pair) implements AdminSigner {
    @Override
    public RSAPublicKey publicKey() {
      return (RSAPublicKey) pair.getPublic();
    }

    @Override
    public byte[] sign(byte[] message) {
      PrivateKey key = pair.getPrivate();
      try {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(message);
        return s.sign();
      } catch (GeneralSecurityException e) {
        throw new CryptoException("signing with the test kit's administrator key failed", e);
      }
    }

    @Override
    public String toString() {
      return "TestbedAdmin[RSA-2048]";
    }
  }
}
