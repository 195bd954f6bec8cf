package io.kpdedicated.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared helpers for the crypto tests: seeded randomness, a fixed clock, cheap KDF options. */
final class TestSupport {
  static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);
  static final KdfParameters CHEAP_ARGON2 = KdfParameters.argon2id(64, 1, 1);
  static final KdfParameters CHEAP_SCRYPT = KdfParameters.scrypt(16, 1, 1);

  private TestSupport() {}

  /** A deterministic SecureRandom: SHA1PRNG seeded before first use. */
  static SecureRandom seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A fast, deterministic, NOT secure SecureRandom for statistical tests that need millions of
   * random bytes.
   */
  static SecureRandom fastSeeded(long seed) {
    return new FastRandom(seed);
  }

  private static final class FastRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient java.util.SplittableRandom random;

    FastRandom(long seed) {
      this.random = new java.util.SplittableRandom(seed);
    }

    @Override
    public void nextBytes(byte[] bytes) {
      for (int i = 0; i < bytes.length; ) {
        long v = random.nextLong();
        for (int k = 0; k < 8 && i < bytes.length; k++, v >>>= 8) {
          bytes[i++] = (byte) v;
        }
      }
    }
  }

  /** An admin identity and its private key, generated once for the tests that only read them. */
  record TestAdmin(AdminIdentity identity, PrivateKey privateKey) {}

  private static TestAdmin testAdmin;

  /**
   * Returns the shared test identity (RSA-2048, named "Test Admin"), generated on first use.
   * Callers must not close it.
   */
  static synchronized TestAdmin testAdmin() {
    if (testAdmin == null) {
      AdminIdentity identity = AdminIdentity.generate("Test Admin", 2048, seeded(2048));
      try {
        Path tmp = Files.createTempFile("id", ".p12");
        try {
          identity.saveUnprotected(tmp, true);
          PrivateKey key = Pkcs12Codec.decode(tmp, Files.readAllBytes(tmp), null).privateKey();
          testAdmin = new TestAdmin(identity, key);
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return testAdmin;
  }

  static KeyshareWriteOptions cheapOptions(long seed) {
    return KeyshareWriteOptions.builder()
        .kdf(CHEAP_ARGON2)
        .random(seeded(seed))
        .clock(FIXED_CLOCK)
        .build();
  }
}
