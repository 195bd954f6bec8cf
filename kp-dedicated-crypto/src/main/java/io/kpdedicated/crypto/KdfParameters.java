package io.kpdedicated.crypto;

import java.time.Duration;

/**
 * The passphrase-based key derivation function of a keyshare file and its cost parameters.
 *
 * <p>Two functions exist: {@link Argon2id} (the default) and {@link Scrypt}. The defaults follow the
 * OWASP Password Storage Cheat Sheet: Argon2id with 19 MiB of memory, 2 iterations and 1 lane
 * ({@link #owaspArgon2id()}), or scrypt with N=2^17, r=8, p=1 ({@link #owaspScrypt()}). The stored
 * parameters travel in each file, so files written with other costs still open. Cheaper parameters
 * are meant for tests only.
 *
 * <p><b>The work bound.</b> A reader runs the KDF before anything in the file is authenticated, so
 * a crafted file could ask for gigabytes or hours. Every value of this type is therefore held to
 * one bound, checked on creation (for writers and readers alike, before any derivation):
 *
 * <ul>
 *   <li>memory ({@link #memoryBytes()}) at most {@link #MAX_MEMORY_BYTES} (256 MiB): scrypt needs
 *       128·r·N·p bytes (every lane counts), Argon2id its memory parameter;
 *   <li>work ({@link #workBytes()}) at most {@link #MAX_WORK_BYTES} (1 GiB of memory passes):
 *       Argon2id memory × iterations × parallelism, scrypt 2·128·r·N·p (each lane writes and reads
 *       its table once);
 *   <li>estimated time ({@link #estimatedTime()}) at most {@link #MAX_ESTIMATED_TIME} (8 s on one
 *       core), estimated from the work at {@link #ARGON2ID_BYTES_PER_SECOND} or {@link
 *       #SCRYPT_BYTES_PER_SECOND}.
 * </ul>
 *
 * <p>The OWASP defaults use 19 MiB / 38 MiB of work (Argon2id) and 128 MiB / 256 MiB of work
 * (scrypt), well inside the bound. The parameters are immutable values.
 */
public sealed interface KdfParameters permits KdfParameters.Argon2id, KdfParameters.Scrypt {

  /** Most memory a KDF may ask for, in bytes: 256 MiB. */
  long MAX_MEMORY_BYTES = 256L * 1024 * 1024;

  /** Most memory a KDF may ask for, in KiB ({@link #MAX_MEMORY_BYTES} / 1024). */
  int MAX_MEMORY_KIB = (int) (MAX_MEMORY_BYTES / 1024);

  /** Most work a KDF may ask for, in bytes of memory processed ({@link #workBytes()}): 1 GiB. */
  long MAX_WORK_BYTES = 1024L * 1024 * 1024;

  /** Longest estimated derivation time ({@link #estimatedTime()}) a KDF may ask for: 8 seconds. */
  Duration MAX_ESTIMATED_TIME = Duration.ofSeconds(8);

  /**
   * Argon2id work processed per second by one core, as assumed by {@link #estimatedTime()}: 128
   * MiB/s, half of what BouncyCastle's Argon2id does on one core of a current laptop, to allow for
   * slower machines.
   */
  long ARGON2ID_BYTES_PER_SECOND = 128L * 1024 * 1024;

  /**
   * scrypt work processed per second by one core, as assumed by {@link #estimatedTime()}: 64
   * MiB/s, about half of what BouncyCastle's scrypt does on one core of a current laptop.
   */
  long SCRYPT_BYTES_PER_SECOND = 64L * 1024 * 1024;

  /** {@return the function's name as stored in files: {@code argon2id} or {@code scrypt}} */
  String name();

  /**
   * Returns the memory the derivation needs, in bytes.
   *
   * @return Argon2id: memoryKiB × 1024; scrypt: 128 × r × N × p
   */
  long memoryBytes();

  /**
   * Returns the work of the derivation, in bytes of memory processed.
   *
   * @return Argon2id: memoryKiB × 1024 × iterations × parallelism; scrypt: 2 × 128 × r × N × p
   */
  long workBytes();

  /**
   * Returns the estimated derivation time on one core, from {@link #workBytes()} and the assumed
   * speed of the function ({@link #ARGON2ID_BYTES_PER_SECOND}, {@link #SCRYPT_BYTES_PER_SECOND}).
   *
   * @return the estimate, rounded up to a millisecond
   */
  Duration estimatedTime();

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
   * @param memoryKiB memory in KiB, at least 8 times {@code parallelism}, at most {@link
   *     #MAX_MEMORY_KIB}
   * @param iterations passes over the memory, 1 to 64
   * @param parallelism lanes, 1 to 16
   * @return the parameters
   * @throws IllegalArgumentException if a value is out of range or the cost is above the work
   *     bound (see the type's description); the message names the parameter
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
   * @throws IllegalArgumentException if a value is out of range or the cost is above the work
   *     bound (see the type's description); the message names the parameter
   */
  static KdfParameters scrypt(int cost, int blockSize, int parallelization) {
    return new Scrypt(cost, blockSize, parallelization);
  }

  /**
   * Checks a cost against the bound.
   *
   * @param what the parameters in words, for the message
   * @param fields the file fields that set the cost, for the message
   * @param memory the memory in bytes
   * @param work the work in bytes
   * @param time the estimated time
   * @throws CostException if a bound is exceeded
   */
  private static void checkBound(
      String what, String fields, long memory, long work, Duration time) {
    if (memory > MAX_MEMORY_BYTES) {
      throw new CostException(
          fields, what + " needs " + mib(memory) + " of memory, over the bound of "
              + mib(MAX_MEMORY_BYTES));
    }
    if (work > MAX_WORK_BYTES) {
      throw new CostException(
          fields, what + " needs " + mib(work) + " of work (memory passes), over the bound of "
              + mib(MAX_WORK_BYTES));
    }
    if (time.compareTo(MAX_ESTIMATED_TIME) > 0) {
      throw new CostException(
          fields, what + " would take about " + time.toSeconds() + " s, over the bound of "
              + MAX_ESTIMATED_TIME.toSeconds() + " s");
    }
  }

  private static Duration estimate(long work, long bytesPerSecond) {
    return Duration.ofMillis(Math.max(1, (work * 1000 + bytesPerSecond - 1) / bytesPerSecond));
  }

  private static String mib(long bytes) {
    return bytes % (1024 * 1024) == 0
        ? (bytes >> 20) + " MiB"
        : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
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
     * Validates the ranges documented on {@link KdfParameters#argon2id} and the work bound.
     *
     * @param memoryKiB memory in KiB
     * @param iterations passes over the memory
     * @param parallelism lanes
     */
    public Argon2id {
      if (parallelism < 1 || parallelism > 16) {
        throw new IllegalArgumentException(
            "argon2id parallelism (kdf.parallelism) must be 1 to 16, not " + parallelism);
      }
      if (iterations < 1 || iterations > 64) {
        throw new IllegalArgumentException(
            "argon2id iterations (kdf.iterations) must be 1 to 64, not " + iterations);
      }
      if (memoryKiB < 8 * parallelism) {
        throw new IllegalArgumentException(
            "argon2id memory (kdf.memoryKiB) must be at least " + (8 * parallelism)
                + " KiB (8 per lane), not " + memoryKiB);
      }
      long memory = memoryKiB * 1024L;
      checkBound(
          "argon2id m=" + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism,
          memory > MAX_MEMORY_BYTES
              ? "kdf.memoryKiB"
              : "kdf.memoryKiB, kdf.iterations, kdf.parallelism",
          memory,
          memory * iterations * parallelism,
          estimate(memory * iterations * parallelism, ARGON2ID_BYTES_PER_SECOND));
    }

    @Override
    public String name() {
      return "argon2id";
    }

    @Override
    public long memoryBytes() {
      return memoryKiB * 1024L;
    }

    @Override
    public long workBytes() {
      return memoryBytes() * iterations * parallelism;
    }

    @Override
    public Duration estimatedTime() {
      return estimate(workBytes(), ARGON2ID_BYTES_PER_SECOND);
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
     * Validates the ranges documented on {@link KdfParameters#scrypt} and the work bound.
     *
     * @param cost N, the CPU/memory cost
     * @param blockSize r
     * @param parallelization p
     */
    public Scrypt {
      if (cost < 2 || cost > (1 << 22) || Integer.bitCount(cost) != 1) {
        throw new IllegalArgumentException(
            "scrypt cost N (kdf.n) must be a power of two from 2 to 2^22, not " + cost);
      }
      if (blockSize < 1 || blockSize > 32) {
        throw new IllegalArgumentException(
            "scrypt block size r (kdf.r) must be 1 to 32, not " + blockSize);
      }
      if (parallelization < 1 || parallelization > 16) {
        throw new IllegalArgumentException(
            "scrypt parallelization p (kdf.p) must be 1 to 16, not " + parallelization);
      }
      long memory = 128L * cost * blockSize * parallelization;
      checkBound(
          "scrypt N=" + cost + ", r=" + blockSize + ", p=" + parallelization,
          "kdf.n, kdf.r, kdf.p",
          memory,
          2 * memory,
          estimate(2 * memory, SCRYPT_BYTES_PER_SECOND));
    }

    @Override
    public String name() {
      return "scrypt";
    }

    @Override
    public long memoryBytes() {
      return 128L * cost * blockSize * parallelization;
    }

    @Override
    public long workBytes() {
      return 2 * memoryBytes();
    }

    @Override
    public Duration estimatedTime() {
      return estimate(workBytes(), SCRYPT_BYTES_PER_SECOND);
    }
  }

  /**
   * Parameters above the work bound. An {@link IllegalArgumentException}, so that callers that
   * build parameters from their own input need no new catch; a keyshare reader turns it into
   * {@link KeyFileException.Reason#TOO_COSTLY}.
   */
  final class CostException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The file fields that set the refused cost, such as {@code kdf.n, kdf.r, kdf.p}. */
    private final String fields;

    CostException(String fields, String message) {
      super(message + " (" + fields + "); the bound protects readers from crafted files");
      this.fields = fields;
    }

    /**
     * Returns the keyshare-file fields that set the refused cost.
     *
     * @return for example {@code kdf.memoryKiB}
     */
    public String fields() {
      return fields;
    }
  }
}
