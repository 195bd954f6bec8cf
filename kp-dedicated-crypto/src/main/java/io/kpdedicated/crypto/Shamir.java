package io.kpdedicated.crypto;

import io.kpdedicated.crypto.internal.Gf256;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * <p><b>Constant time</b>: secret values (the secret, the random coefficients, the y values of the
 * shares) never choose a branch, a loop count or a table index. They are only ever multiplied by
 * public field elements (an x coordinate, or a Lagrange coefficient computed from the x coordinates
 * alone), eight bytes at a time: a 64-bit word holds eight field elements, and {@code c * v} is
 * the sum over the eight bits {@code i} of {@code v}'s lanes of {@code bit_i * (c * 2^i)}, where
 * {@code bit_i} is 0 or 1 per lane, so the product of the word by the byte {@code c * 2^i} cannot
 * carry from one lane into the next. Loops depend only on K, N and the secret length. Lagrange
 * coefficients come from log/exp tables indexed by x coordinates only, which are public.
 *
 * <p>Stateless and thread-safe. The caller owns (and should wipe) the arrays passed and returned.
 */
public final class Shamir {
  /** Smallest K and N. */
  public static final int MIN_SHARES = 2;
  /** Largest K and N: the x coordinates are the non-zero field elements. */
  public static final int MAX_SHARES = 255;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW_BITS = 0x0101010101010101L;

  /** {@code EXP[i] = 3^i}, for public values only (x coordinates and what derives from them). */
  private static final int[] EXP = new int[510];
  /** {@code LOG[3^i] = i}; {@code LOG[0]} is unused. For public values only. */
  private static final int[] LOG = new int[256];

  static {
    int v = 1;
    for (int i = 0; i < 255; i++) {
      EXP[i] = v;
      EXP[i + 255] = v;
      LOG[v] = i;
      v = Gf256.mul(v, 3);
    }
  }

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
    int words = (len + 7) >>> 3;
    int degree = minimum - 1;
    // coefficients[d * words + w]: word w of the coefficient of x^(d+1); all drawn in one call.
    byte[] drawn = new byte[degree * len];
    long[] coefficients = new long[degree * words];
    long[] constant = new long[words];
    long[] acc = new long[words];
    long[] powers = new long[8];
    byte[][] shares = new byte[count][len + 1];
    try {
      random.nextBytes(drawn);
      for (int d = 0; d < degree; d++) {
        load(drawn, d * len, len, coefficients, d * words);
      }
      load(secret, 0, len, constant, 0);
      for (int s = 0; s < count; s++) {
        int x = s + 1;
        scalarPowers(x, powers);
        // Horner: acc = (...(a_deg * x + a_deg-1) * x ...) * x + a_0.
        System.arraycopy(coefficients, (degree - 1) * words, acc, 0, words);
        for (int d = degree - 2; d >= 0; d--) {
          int base = d * words;
          for (int w = 0; w < words; w++) {
            acc[w] = mulWord(acc[w], powers) ^ coefficients[base + w];
          }
        }
        for (int w = 0; w < words; w++) {
          acc[w] = mulWord(acc[w], powers) ^ constant[w];
        }
        byte[] share = shares[s];
        store(acc, share, len);
        share[len] = (byte) x;
      }
    } finally {
      Arrays.fill(drawn, (byte) 0);
      Arrays.fill(coefficients, 0L);
      Arrays.fill(constant, 0L);
      Arrays.fill(acc, 0L);
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
    int len = shareLen - 1;
    int words = (len + 7) >>> 3;
    long[] acc = new long[words];
    long[] y = new long[words];
    long[] powers = new long[8];
    byte[] secret = new byte[len];
    try {
      for (int i = 0; i < k; i++) {
        scalarPowers(lagrangeAtZero(xs, i), powers);
        load(shares.get(i), 0, len, y, 0);
        for (int w = 0; w < words; w++) {
          acc[w] ^= mulWord(y[w], powers);
        }
      }
      store(acc, secret, len);
    } finally {
      Arrays.fill(acc, 0L);
      Arrays.fill(y, 0L);
    }
    return secret;
  }

  /**
   * The Lagrange basis polynomial of share {@code i} at x = 0: {@code prod_{j != i} x_j / (x_i +
   * x_j)}. The x coordinates are public (distinct, non-zero), so table lookups are fine here.
   */
  private static int lagrangeAtZero(int[] xs, int i) {
    int xi = xs[i];
    int log = 0;
    for (int j = 0; j < xs.length; j++) {
      if (j != i) {
        log += LOG[xs[j]] + 255 - LOG[xi ^ xs[j]];
      }
    }
    return EXP[log % 255];
  }

  /** Fills {@code powers[i]} with the byte {@code c * 2^i} (field product) in every lane. */
  private static void scalarPowers(int c, long[] powers) {
    int p = c;
    for (int i = 0; i < 8; i++) {
      powers[i] = p & 0xFFL;
      p = (p << 1) ^ (0x11B & -((p >>> 7) & 1));
    }
  }

  /**
   * Multiplies each of the eight field elements (bytes) of {@code v} by the public scalar whose
   * {@link #scalarPowers} are given. Branch-free, eight fixed steps: lane bits of {@code v} are
   * 0 or 1, so each product by a byte lands in its own lane.
   */
  private static long mulWord(long v, long[] powers) {
    return ((v & LOW_BITS) * powers[0])
        ^ (((v >>> 1) & LOW_BITS) * powers[1])
        ^ (((v >>> 2) & LOW_BITS) * powers[2])
        ^ (((v >>> 3) & LOW_BITS) * powers[3])
        ^ (((v >>> 4) & LOW_BITS) * powers[4])
        ^ (((v >>> 5) & LOW_BITS) * powers[5])
        ^ (((v >>> 6) & LOW_BITS) * powers[6])
        ^ (((v >>> 7) & LOW_BITS) * powers[7]);
  }

  /** Packs {@code len} bytes from {@code src[from..]} into little-endian words at {@code dst[at..]}. */
  private static void load(byte[] src, int from, int len, long[] dst, int at) {
    int full = len >>> 3;
    for (int w = 0; w < full; w++) {
      dst[at + w] = (long) LONG_LE.get(src, from + (w << 3));
    }
    int rest = len & 7;
    if (rest != 0) {
      long word = 0;
      int base = from + (full << 3);
      for (int b = 0; b < rest; b++) {
        word |= (src[base + b] & 0xFFL) << (b << 3);
      }
      dst[at + full] = word;
    }
  }

  /** Unpacks little-endian words into the first {@code len} bytes of {@code dst}. */
  private static void store(long[] src, byte[] dst, int len) {
    int full = len >>> 3;
    for (int w = 0; w < full; w++) {
      LONG_LE.set(dst, w << 3, src[w]);
    }
    int rest = len & 7;
    if (rest != 0) {
      long word = src[full];
      int base = full << 3;
      for (int b = 0; b < rest; b++) {
        dst[base + b] = (byte) (word >>> (b << 3));
      }
    }
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
