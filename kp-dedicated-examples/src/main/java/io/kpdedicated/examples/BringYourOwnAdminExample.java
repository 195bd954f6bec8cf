package io.kpdedicated.examples;

import io.kpdedicated.core.AdminIdentitySource;
import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.MasterKeySource;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import io.kpdedicated.testkit.InMemoryDedicatedCloud;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Embedding example 2: bring your own administrator identity instead of generating one.
 *
 * <ul>
 *   <li>{@link #fromPkcs12(Path, Passphrase)}: a PKCS#12 file, e.g. from {@code kpd sig-key
 *       generate} or {@code keytool};
 *   <li>{@link #fromJcaKeyStore(KeyStore, String, char[])}: any JCA {@link KeyStore} entry. A
 *       PKCS#11 token ({@code KeyStore.getInstance("PKCS11")}) works the same way, the private key
 *       never leaves the token;
 *   <li>{@link CountingSigner}: your own {@link AdminSigner}, e.g. a remote signing service.
 * </ul>
 *
 * <p>Run (from the repository root, after {@code mvn package}):
 * {@code java -cp kp-dedicated-examples/target/examples.jar io.kpdedicated.examples.BringYourOwnAdminExample}.
 * It runs against an in-memory cloud, in a temporary folder it deletes at the end.
 */
public final class BringYourOwnAdminExample {
  private BringYourOwnAdminExample() {}

  /**
   * Runs the example: writes a PKCS#12 file, opens it through the JCA key store, and initializes
   * with a signer that counts the HSM commands it signs.
   *
   * @param args ignored
   * @throws Exception if a file or the key store cannot be used
   */
  public static void main(String[] args) throws Exception {
    // The passphrases below are written in this source, so the example stays in memory.
    ExampleCloud cloud = ExampleCloud.inMemory(
        InMemoryDedicatedCloud.builder().provisioningPolls(2).build());
    try (ExampleFolder folder = ExampleFolder.create();
        Passphrase pass = Passphrase.of("admin key passphrase");
        Passphrase s1 = Passphrase.of("share one passphrase");
        Passphrase s2 = Passphrase.of("share two passphrase")) {
      Path dir = folder.path();
      Path p12 = dir.resolve("admin.p12");
      try (AdminIdentity created = AdminIdentity.generate("admin", 2048, new SecureRandom())) {
        created.save(p12, pass, false);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      char[] chars = pass.copyChars();
      try (InputStream in = Files.newInputStream(p12)) {
        store.load(in, chars);
        try (AdminIdentity fromJca = fromJcaKeyStore(store, store.aliases().nextElement(), chars)) {
          CountingSigner signer = new CountingSigner(fromJca);
          InitializationResult result = initialize(cloud, signer, List.of(
              new KeyshareLocation(dir.resolve("share-1.json"), s1),
              new KeyshareLocation(dir.resolve("share-2.json"), s2)));
          System.out.println("Initialized " + result.units().size() + " units with key check value "
              + result.checkValue().orElseThrow() + "; the admin key signed " + signer.count()
              + " HSM commands");
        }
      } finally {
        java.util.Arrays.fill(chars, '\0');
      }
    }
  }

  /**
   * Loads an administrator from a PKCS#12 file.
   *
   * @param file the file
   * @param passphrase its passphrase
   * @return the identity source for the initializer
   */
  public static AdminIdentitySource fromPkcs12(Path file, Passphrase passphrase) {
    return AdminIdentitySource.load(file, passphrase);
  }

  /**
   * Uses a private key and certificate from any JCA key store.
   *
   * @param store a loaded key store
   * @param alias the entry
   * @param password the entry's password
   * @return the identity (close it when done)
   * @throws GeneralSecurityException if the entry cannot be read
   */
  public static AdminIdentity fromJcaKeyStore(KeyStore store, String alias, char[] password)
      throws GeneralSecurityException {
    PrivateKey key = (PrivateKey) store.getKey(alias, password);
    X509Certificate certificate = (X509Certificate) store.getCertificate(alias);
    return AdminIdentity.of(key, certificate);
  }

  /**
   * Initializes every unit with the given signer and a new master key in the given keyshares.
   *
   * @param cloud where to run
   * @param signer the administrator
   * @param shares the keyshare files to write, with their passphrases
   * @return every unit's outcome
   */
  public static InitializationResult initialize(ExampleCloud cloud, AdminSigner signer,
      List<KeyshareLocation> shares) {
    return DedicatedInitializer.builder()
        .transport(cloud.transport())
        .instance(cloud.instance())
        .adminIdentity(AdminIdentitySource.of(signer))
        .masterKey(MasterKeySource.generate("mk1", 2, shares))
        .build()
        .run();
  }

  /** An {@link AdminSigner} that delegates and counts signatures. Thread-safe. */
  public static final class CountingSigner implements AdminSigner {
    private final AdminSigner delegate;
    private final AtomicInteger count = new AtomicInteger();

    /**
     * Wraps a signer.
     *
     * @param delegate the signer that holds the key
     */
    public CountingSigner(AdminSigner delegate) {
      this.delegate = delegate;
    }

    @Override
    public RSAPublicKey publicKey() {
      return delegate.publicKey();
    }

    @Override
    public byte[] sign(byte[] message) {
      count.incrementAndGet();
      return delegate.sign(message);
    }

    /** {@return how many messages were signed} */
    public int count() {
      return count.get();
    }
  }
}
