package io.kpdedicated.testkit;

import io.kpdedicated.crypto.AdminIdentity;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;

/**
 * RSA key material generated once per JVM, on first use, and shared by every {@link Testbed}:
 * generating a 2048-bit RSA key takes tens to hundreds of milliseconds, so a fixture that made its
 * own for every test would spend most of its time there. The keys protect nothing but test data.
 */
final class SharedTestKeys {
  /** Import key pairs: as many as the largest instance has units, so every unit's key differs. */
  private static final int IMPORT_KEYS = 3;

  private SharedTestKeys() {}

  /** {@return the administrator identity every testbed claims its units with} */
  static AdminIdentity admin() {
    return Holder.ADMIN;
  }

  /** {@return the import key pairs every testbed's units use} */
  static List<KeyPair> importKeyPairs() {
    return Holder.IMPORT_POOL;
  }

  /** Initialized by the JVM on first access, once, thread-safely. */
  private static final class Holder {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final AdminIdentity ADMIN = AdminIdentity.generate("testbed-admin", 2048, RANDOM);
    static final List<KeyPair> IMPORT_POOL = pool();

    private static List<KeyPair> pool() {
      KeyPair[] pairs = new KeyPair[IMPORT_KEYS];
      for (int i = 0; i < pairs.length; i++) {
        pairs[i] = UnitCrypto.generateRsa(2048, RANDOM);
      }
      return List.of(pairs);
    }
  }
}
