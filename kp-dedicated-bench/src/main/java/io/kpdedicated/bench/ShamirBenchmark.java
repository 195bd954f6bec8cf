package io.kpdedicated.bench;

import io.kpdedicated.crypto.Shamir;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.threshold.ShamirSecretSplitter;
import org.bouncycastle.crypto.threshold.ShamirSplitSecret;
import org.bouncycastle.crypto.threshold.ShamirSplitSecretShare;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Shamir K-of-N over GF(2^8) (AES polynomial) for a 32-byte secret (an AES-256 master key):
 * split into N shares and rebuild from the first K of them, with this project's {@link Shamir}
 * and, in the same run, with BouncyCastle's {@link ShamirSecretSplitter} ({@code resplit} then
 * {@code getSecret} over K shares). Both draw from one {@link SecureRandom} of the platform's
 * default kind; the ratio of the two scores is what the README reports.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class ShamirBenchmark {
  private static final int SECRET_LENGTH = 32;

  /** K and N as {@code K-N}. */
  @Param({"2-3", "3-5", "128-255"})
  public String kOfN;

  private int k;
  private int n;
  private byte[] secret;
  private SecureRandom random;
  private ShamirSecretSplitter bouncyCastle;

  /**
   * Prepares the secret, the randomness and BouncyCastle's splitter, and checks once that both
   * implementations give the secret back.
   *
   * @throws IOException if BouncyCastle cannot rebuild (it declares it)
   */
  @Setup
  public void setUp() throws IOException {
    String[] parts = kOfN.split("-");
    k = Integer.parseInt(parts[0]);
    n = Integer.parseInt(parts[1]);
    random = new SecureRandom();
    secret = new byte[SECRET_LENGTH];
    random.nextBytes(secret);
    bouncyCastle =
        ShamirSecretSplitter.getInstance(ShamirSecretSplitter.Algorithm.AES, SECRET_LENGTH, random);
    if (!Arrays.equals(projectSplitAndCombine(), secret)
        || !Arrays.equals(bouncyCastleSplitAndCombine(), secret)) {
      throw new IllegalStateException("a Shamir implementation did not rebuild the secret");
    }
  }

  /**
   * This project: split into N shares, combine the first K.
   *
   * @return the rebuilt secret
   */
  @Benchmark
  public byte[] projectSplitAndCombine() {
    List<byte[]> shares = Shamir.split(secret, k, n, random);
    return Shamir.combine(shares.subList(0, k));
  }

  /**
   * BouncyCastle: {@code resplit} into N shares, {@code getSecret} from the first K.
   *
   * @return the rebuilt secret
   * @throws IOException if BouncyCastle cannot rebuild (it declares it)
   */
  @Benchmark
  public byte[] bouncyCastleSplitAndCombine() throws IOException {
    ShamirSplitSecret split = bouncyCastle.resplit(secret, k, n);
    ShamirSplitSecretShare[] firstK = Arrays.copyOf(split.getSecretShares(), k);
    return ShamirSplitSecret.getInstance(ShamirSecretSplitter.Algorithm.AES, firstK).getSecret();
  }
}
