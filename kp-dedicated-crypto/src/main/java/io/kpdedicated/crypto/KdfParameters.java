package io.kpdedicated.crypto;

/**
 * The passphrase-based key derivation function of a keyshare file and its cost parameters.
 *
 * <p>Two functions exist: {@link Argon2id} (the default) and {@link Scrypt}. The defaults follow the
 * OWASP Password Storage Cheat Sheet: Argon2id with 19 MiB of memory, 2 iterations and 1 lane
 * ({@link #owaspArgon2id()}), or scrypt with N=2^17, r=8, p=1 ({@link #owaspScrypt()}). The stored
 * parameters travel in each file, so files written with other costs still open. Cheaper parameters
 * are meant for tests only.
 *
 * <p>The parameters are immutable values, validated on creation; the same bounds also protect a
 * reader from a file that asks for an absurd amount of memory or time.
 */
public sealed interface KdfParameters permits KdfParameters.Argon2id, KdfParameters.Scrypt {

  /** Largest memory a KDF may ask for, in KiB (1 GiB). */
  int MAX_MEMORY_KIB = 1024 * 1024;

  /** {@return the function's name as stored in files: {@code argon2id} or {@code scrypt}} */
  String name();

  /** {@return Argon2id with m=19 MiB (19456 KiB), t=2, p=1 (OWASP)} */
  static KdfParameters owaspArgon2id() {
    return new Argon2id(19 * 1024, 2, 1);
  }

  /** {@return scrypt with N=2^17, r=8, p=1 (OWASP)} */
  static KdfParameters owaspScrypt() {
    return new Scrypt(1 << 17, 8, 1);
  }

  /**
   * Returns Argon2id (version 1.3) parameters.
   *
   * @param memoryKiB memory in KiB, at least 8 times {@code parallelism}, at most 1 GiB
   * @param iterations passes over the memory, 1 to 64
   * @param parallelism lanes, 1 to 16
   * @return the parameters
   * @throws IllegalArgumentException if a value is out of range
   */
  static KdfParameters argon2id(int memoryKiB, int iterations, int parallelism) {
    return new Argon2id(memoryKiB, iterations, parallelism);
  }

  /**
   * Returns scrypt parameters.
   *
   * @param cost N, a power of two from 2 to 2^22
   * @param blockSize r, 1 to 32
   * @param parallelization p, 1 to 16
   * @return the parameters
   * @throws IllegalArgumentException if a value is out of range or needs more than 1 GiB
   */
  static KdfParameters scrypt(int cost, int blockSize, int parallelization) {
    return new Scrypt(cost, blockSize, parallelization);
  }

  /**
   * Argon2id, version 1.3 (RFC 9106).
   *
   * @param memoryKiB memory in KiB
   * @param iterations passes over the memory
   * @param parallelism lanes
   */
  record Argon2id(int memoryKiB, int iterations, int parallelism) implements KdfParameters {
    /**
     * Validates the ranges documented on {@link KdfParameters#argon2id}.
     *
     * @param memoryKiB memory in KiB
     * @param iterations passes over the memory
     * @param parallelism lanes
     */
    public Argon2id {
      if (parallelism < 1 || parallelism > 16) {
        throw new IllegalArgumentException("argon2id parallelism must be 1 to 16, not " + parallelism);
      }
      if (iterations < 1 || iterations > 64) {
        throw new IllegalArgumentException("argon2id iterations must be 1 to 64, not " + iterations);
      }
      if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
        throw new IllegalArgumentException(
            "argon2id memory must be " + (8 * parallelism) + " to " + MAX_MEMORY_KIB
                + " KiB, not " + memoryKiB);
      }
    }

    @Override
    public String name() {
      return "argon2id";
    }
  }

  /**
   * scrypt (RFC 7914).
   *
   * @param cost N, the CPU/memory cost
   * @param blockSize r
   * @param parallelization p
   */
  record Scrypt(int cost, int blockSize, int parallelization) implements KdfParameters {
    /**
     * Validates the ranges documented on {@link KdfParameters#scrypt}.
     *
     * @param cost N, the CPU/memory cost
     * @param blockSize r
     * @param parallelization p
     */
    public Scrypt {
      if (cost < 2 || cost > (1 << 22) || Integer.bitCount(cost) != 1) {
        throw new IllegalArgumentException(
            "scrypt cost N must be a power of two from 2 to 2^22, not " + cost);
      }
      if (blockSize < 1 || blockSize > 32) {
        throw new IllegalArgumentException("scrypt block size r must be 1 to 32, not " + blockSize);
      }
      if (parallelization < 1 || parallelization > 16) {
        throw new IllegalArgumentException(
            "scrypt parallelization p must be 1 to 16, not " + parallelization);
      }
      long memoryKiB = 128L * cost * blockSize / 1024;
      if (memoryKiB > MAX_MEMORY_KIB) {
        throw new IllegalArgumentException(
            "scrypt N=" + cost + ", r=" + blockSize + " needs more than 1 GiB of memory");
      }
    }

    @Override
    public String name() {
      return "scrypt";
    }
  }
}
