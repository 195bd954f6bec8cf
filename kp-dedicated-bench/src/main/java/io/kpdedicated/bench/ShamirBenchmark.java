package io.kpdedicated.bench;

import io.kpdedicated.crypto.Shamir;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Shamir K-of-N over GF(2^8) for a 32-byte secret (an AES-256 master key): split into N shares,
 * and rebuild from the first K of them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class ShamirBenchmark {
  /** K and N as {@code K-N}. */
  @Param({"2-3", "3-5", "128-255"})
  public String kOfN;

  private int k;
  private int n;
  private byte[] secret;
  private SecureRandom random;
  private List<byte[]> firstK;

  /** Prepares the secret, the randomness and one split to rebuild from. */
  @Setup
  public void setUp() {
    String[] parts = kOfN.split("-");
    k = Integer.parseInt(parts[0]);
    n = Integer.parseInt(parts[1]);
    random = new SecureRandom();
    secret = new byte[32];
    random.nextBytes(secret);
    firstK = Shamir.split(secret, k, n, random).subList(0, k);
  }

  /** Split then rebuild: the full round trip. */
  @Benchmark
  public byte[] splitAndRebuild() {
    List<byte[]> shares = Shamir.split(secret, k, n, random);
    return Shamir.combine(shares.subList(0, k));
  }

  /** Split only. */
  @Benchmark
  public List<byte[]> split() {
    return Shamir.split(secret, k, n, random);
  }

  /** Rebuild only, from K shares. */
  @Benchmark
  public byte[] rebuild() {
    return Shamir.combine(firstK);
  }
}
