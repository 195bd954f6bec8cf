package io.kpdedicated.crypto;

import io.kpdedicated.crypto.internal.Gf256;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Shamir secret sharing, K of N, over GF(2^8) with the AES polynomial (0x11B), byte by byte.
 *
 * <p><b>Share layout</b>: a share of an {@code L}-byte secret has {@code L + 1} bytes, the {@code
 * L} y values (one per secret byte) followed by the x coordinate, which is the share's index 1..N.
 * This is the layout and the field of HashiCorp Vault's {@code shamir} package, so shares from one
 * combine with the other. Unlike Vault, every coefficient (including the highest) is drawn
 * uniformly: forcing a non-zero highest coefficient, as Vault does, lets K-1 shares rule out a few
 * secret values.
 *
 * <p><b>Constant time</b>: the field arithmetic has no branch or table lookup that depends on secret
 * values ({@link Gf256}); loops depend only on K, N and the secret length.
 *
 * <p>Stateless and thread-safe. The caller owns (and should wipe) the arrays passed and returned.
 */
public final class Shamir {
  /** Smallest K and N. */
  public static final int MIN_SHARES = 2;
  /** Largest K and N: the x coordinates are the non-zero field elements. */
  public static final int MAX_SHARES = 255;

  private Shamir() {}

  /**
   * Splits {@code secret} into {@code count} shares, any {@code minimum} of which rebuild it.
   *
   * @param secret the secret, at least one byte; not modified
   * @param minimum K, 2 to {@code count}
   * @param count N, K to 255
   * @param random the randomness for the polynomial coefficients
   * @return N shares; share {@code i} (0-based) has x coordinate {@code i + 1}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the secret is empty or K, N are out of range
   */
  public static List<byte[]> split(byte[] secret, int minimum, int count, SecureRandom random) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(random, "random");
    checkCounts(minimum, count);
    if (secret.length == 0) {
      throw new IllegalArgumentException("cannot split an empty secret");
    }
    int len = secret.length;
    byte[][] shares = new byte[count][len + 1];
    for (int i = 0; i < count; i++) {
      shares[i][len] = (byte) (i + 1);
    }
    byte[] coefficients = new byte[minimum];
    try {
      for (int b = 0; b < len; b++) {
        random.nextBytes(coefficients);
        coefficients[0] = secret[b];
        for (int i = 0; i < count; i++) {
          shares[i][b] = (byte) evaluate(coefficients, i + 1);
        }
      }
    } finally {
      Arrays.fill(coefficients, (byte) 0);
    }
    return new ArrayList<>(Arrays.asList(shares));
  }

  /**
   * Rebuilds a secret from shares. With at least K shares of one split this is the secret; with
   * fewer, or with shares of different splits, it is a meaningless value (the caller checks, e.g.
   * with a key check value).
   *
   * @param shares at least two shares of equal length (at least two bytes each); not modified
   * @return the secret
   * @throws NullPointerException if the list or a share is null
   * @throws IllegalArgumentException if fewer than two shares are given, lengths differ, a share
   *     is too short, or an x coordinate is zero or repeated
   */
  public static byte[] combine(List<byte[]> shares) {
    Objects.requireNonNull(shares, "shares");
    if (shares.size() < MIN_SHARES) {
      throw new IllegalArgumentException("at least two shares are needed, got " + shares.size());
    }
    if (shares.size() > MAX_SHARES) {
      throw new IllegalArgumentException("at most 255 shares can be combined, got " + shares.size());
    }
    int shareLen = Objects.requireNonNull(shares.get(0), "share").length;
    if (shareLen < 2) {
      throw new IllegalArgumentException("a share has at least two bytes");
    }
    int k = shares.size();
    int[] xs = new int[k];
    boolean[] seen = new boolean[256];
    for (int i = 0; i < k; i++) {
      byte[] share = Objects.requireNonNull(shares.get(i), "share");
      if (share.length != shareLen) {
        throw new IllegalArgumentException("all shares must have the same length");
      }
      int x = share[shareLen - 1] & 0xFF;
      if (x == 0) {
        throw new IllegalArgumentException("share " + (i + 1) + " has the x coordinate 0");
      }
      if (seen[x]) {
        throw new IllegalArgumentException("two shares have the x coordinate " + x);
      }
      seen[x] = true;
      xs[i] = x;
    }
    // Lagrange basis at x = 0: l_i = prod_{j != i} x_j / (x_i + x_j). Public values only.
    int[] basis = new int[k];
    for (int i = 0; i < k; i++) {
      int num = 1;
      int den = 1;
      for (int j = 0; j < k; j++) {
        if (j != i) {
          num = Gf256.mul(num, xs[j]);
          den = Gf256.mul(den, Gf256.add(xs[i], xs[j]));
        }
      }
      basis[i] = Gf256.div(num, den);
    }
    byte[] secret = new byte[shareLen - 1];
    for (int b = 0; b < secret.length; b++) {
      int acc = 0;
      for (int i = 0; i < k; i++) {
        acc ^= Gf256.mul(shares.get(i)[b] & 0xFF, basis[i]);
      }
      secret[b] = (byte) acc;
    }
    return secret;
  }

  /** Evaluates the polynomial with the given coefficients (lowest first) at {@code x} (Horner). */
  static int evaluate(byte[] coefficients, int x) {
    int out = 0;
    for (int i = coefficients.length - 1; i >= 0; i--) {
      out = Gf256.add(Gf256.mul(out, x), coefficients[i] & 0xFF);
    }
    return out;
  }

  static void checkCounts(int minimum, int count) {
    if (minimum < MIN_SHARES || minimum > count || count > MAX_SHARES) {
      throw new IllegalArgumentException(
          "need 2 <= K <= N <= 255 (K shares of N rebuild the key), got K=" + minimum + ", N="
              + count);
    }
  }
}
