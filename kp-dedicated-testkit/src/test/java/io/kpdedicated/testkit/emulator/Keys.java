package io.kpdedicated.testkit.emulator;

import io.kpdedicated.crypto.AdminIdentity;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.List;

/** RSA keys generated once per test JVM and shared, because generating them is slow. */
final class Keys {
  private Keys() {}

  static final SecureRandom RANDOM = new SecureRandom();
  static final AdminIdentity ADMIN = AdminIdentity.generate("admin", 2048, RANDOM);
  static final AdminIdentity INTRUDER = AdminIdentity.generate("intruder", 2048, RANDOM);
  static final List<KeyPair> IMPORT_POOL = List.of(rsa(), rsa(), rsa());

  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
