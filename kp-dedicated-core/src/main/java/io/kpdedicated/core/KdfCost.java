package io.kpdedicated.core;

import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KdfParameters;
import java.util.Objects;

/**
 * How expensive the protection of new key files is: the PBKDF2 iterations of a generated
 * administrator identity (PKCS#12) and the passphrase KDF of new keyshare files. Immutable.
 *
 * <p>{@link #defaults()} is what production uses (600,000 PBKDF2-HMAC-SHA256 iterations, Argon2id
 * 19 MiB / 2 passes). {@link #of} accepts other costs down to a floor. Below the floor a cost is
 * refused unless the JVM runs with the system property {@value #TEST_PROPERTY}{@code =true} (the
 * project's test runs set it); {@link #forTestsOnly()} is the cheapest such cost, for tests that
 * write many files:
 *
 * <pre>{@code
 * // surefire: <systemPropertyVariables><io.kpdedicated.testKdfCost>true</io.kpdedicated.testKdfCost>
 * DedicatedInitializer.builder()...kdfCost(KdfCost.forTestsOnly()).build();
 * }</pre>
 *
 * Cheap costs only ever protect throw-away test files; files written with them still open
 * anywhere, because each file stores its own parameters.
 */
public final class KdfCost {
  /** The system property that allows {@link #forTestsOnly()}: {@code true} to allow. */
  public static final String TEST_PROPERTY = "io.kpdedicated.testKdfCost";
  /** The fewest PBKDF2 iterations {@link #of} accepts. */
  public static final int MIN_PBKDF2_ITERATIONS = 310_000;
  /** The least Argon2id memory times passes {@link #of} accepts, in KiB (OWASP's lowest pairs). */
  public static final long MIN_ARGON2_MEMORY_PASSES_KIB = 35_840;
  /** The least scrypt N times r times p {@link #of} accepts (N=2^16, r=8, p=1). */
  public static final long MIN_SCRYPT_WORK = 1L << 19;

  private static final KdfCost DEFAULTS = new KdfCost(AdminIdentity.DEFAULT_PBKDF2_ITERATIONS,
      KdfParameters.owaspArgon2id(), false);

  private final int pbkdf2Iterations;
  private final KdfParameters keyshareKdf;
  private final boolean testOnly;

  private KdfCost(int pbkdf2Iterations, KdfParameters keyshareKdf, boolean testOnly) {
    this.pbkdf2Iterations = pbkdf2Iterations;
    this.keyshareKdf = keyshareKdf;
    this.testOnly = testOnly;
  }

  /**
   * Returns the production cost: 600,000 PBKDF2 iterations, OWASP Argon2id.
   *
   * @return the cost
   */
  public static KdfCost defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a cost at or above the floor.
   *
   * @param pbkdf2Iterations iterations for a generated identity, at least
   *     {@value #MIN_PBKDF2_ITERATIONS}
   * @param keyshareKdf the KDF of new keyshares, at least as costly as the floor
   * @return the cost
   * @throws IllegalArgumentException if either is below the floor (the message says the floor)
   */
  public static KdfCost of(int pbkdf2Iterations, KdfParameters keyshareKdf) {
    checkIterations(pbkdf2Iterations);
    checkFloor(keyshareKdf);
    return new KdfCost(pbkdf2Iterations, keyshareKdf, false);
  }

  /**
   * Returns a copy with another keyshare KDF.
   *
   * @param keyshareKdf the KDF of new keyshares, at or above the floor outside tests
   * @return the copy
   * @throws IllegalArgumentException if it is below the floor outside tests
   */
  public KdfCost withKeyshareKdf(KdfParameters keyshareKdf) {
    checkFloor(keyshareKdf);
    return new KdfCost(pbkdf2Iterations, keyshareKdf, testOnly);
  }

  /**
   * Returns a copy with other PBKDF2 iterations.
   *
   * @param iterations at least {@value #MIN_PBKDF2_ITERATIONS} outside tests, and at least the
   *     crypto module's minimum
   * @return the copy
   * @throws IllegalArgumentException if below the floor
   */
  public KdfCost withPbkdf2Iterations(int iterations) {
    checkIterations(iterations);
    return new KdfCost(iterations, keyshareKdf, testOnly);
  }

  private static boolean testsAllowed() {
    return Boolean.parseBoolean(System.getProperty(TEST_PROPERTY));
  }

  private static void checkIterations(int iterations) {
    if (iterations < AdminIdentity.MIN_PBKDF2_ITERATIONS
        || (iterations < MIN_PBKDF2_ITERATIONS && !testsAllowed())) {
      throw new IllegalArgumentException("PBKDF2 iterations must be at least "
          + MIN_PBKDF2_ITERATIONS + ", got " + iterations
          + " (below that only in tests, with -D" + TEST_PROPERTY + "=true)");
    }
  }

  /**
   * Returns the cheapest cost the crypto module accepts (10,000 PBKDF2 iterations, Argon2id
   * 8 KiB / 1 pass), for tests that write many key files.
   *
   * @return the cost
   * @throws IllegalStateException unless the system property {@value #TEST_PROPERTY} is
   *     {@code true}
   */
  public static KdfCost forTestsOnly() {
    if (!testsAllowed()) {
      throw new IllegalStateException("KdfCost.forTestsOnly() protects key files far below the"
          + " production floor and is refused outside tests; run the tests with -D" + TEST_PROPERTY
          + "=true, or use KdfCost.defaults() or KdfCost.of(...)");
    }
    return new KdfCost(AdminIdentity.MIN_PBKDF2_ITERATIONS, KdfParameters.argon2id(8, 1, 1),
        true);
  }

  /**
   * Checks that a keyshare KDF is at least as costly as the floor, unless tests are allowed.
   *
   * @param kdf the parameters
   * @throws IllegalArgumentException if it is cheaper outside tests
   */
  public static void checkFloor(KdfParameters kdf) {
    Objects.requireNonNull(kdf, "keyshareKdf");
    if (testsAllowed()) {
      return;
    }
    boolean ok;
    if (kdf instanceof KdfParameters.Argon2id a) {
      ok = (long) a.memoryKiB() * a.iterations() >= MIN_ARGON2_MEMORY_PASSES_KIB;
    } else {
      KdfParameters.Scrypt s = (KdfParameters.Scrypt) kdf;
      ok = (long) s.cost() * s.blockSize() * s.parallelization() >= MIN_SCRYPT_WORK;
    }
    if (!ok) {
      throw new IllegalArgumentException("the keyshare KDF " + kdf + " is cheaper than the floor"
          + " (Argon2id memory x passes >= " + MIN_ARGON2_MEMORY_PASSES_KIB + " KiB, or scrypt"
          + " N x r x p >= 2^19); below it only in tests, with -D" + TEST_PROPERTY + "=true");
    }
  }

  /**
   * Returns the PBKDF2 iterations of a generated administrator identity.
   *
   * @return the iterations
   */
  public int pbkdf2Iterations() {
    return pbkdf2Iterations;
  }

  /**
   * Returns the KDF of new keyshare files.
   *
   * @return the parameters
   */
  public KdfParameters keyshareKdf() {
    return keyshareKdf;
  }

  /**
   * Returns whether this cost came from {@link #forTestsOnly()}.
   *
   * @return true for the test cost
   */
  public boolean isTestOnly() {
    return testOnly;
  }

  @Override
  public String toString() {
    return "KdfCost[pbkdf2=" + pbkdf2Iterations + ", keyshares=" + keyshareKdf
        + (testOnly ? ", tests only" : "") + "]";
  }
}
