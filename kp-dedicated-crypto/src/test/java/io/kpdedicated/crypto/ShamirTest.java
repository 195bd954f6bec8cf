package io.kpdedicated.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpdedicated.crypto.internal.Gf256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShamirTest {
  private static final byte[] TEST = "test".getBytes(StandardCharsets.US_ASCII);

  // ---- A table-based reference in the style of HashiCorp Vault's shamir package -------------
  // Vault multiplies with log/exp tables over generator 0xe5 (the tables of samiam.org, AES field).
  // We rebuild those tables here with plain integer arithmetic (not with Gf256) and reproduce
  // Vault's Split: shares [y_1 .. y_L, x] with x = index + 1, Horner evaluation.

  private static final int[] EXP = new int[256];
  private static final int[] LOG = new int[256];

  static {
    int v = 1;
    for (int i = 0; i < 255; i++) {
      EXP[i] = v;
      LOG[v] = i;
      v = xtimesMul(v, 0xe5);
    }
    EXP[255] = EXP[0];
  }

  private static int xtimesMul(int a, int b) {
    int r = 0;
    while (b != 0) {
      if ((b & 1) != 0) {
        r ^= a;
      }
      a <<= 1;
      if ((a & 0x100) != 0) {
        a ^= 0x11B;
      }
      b >>= 1;
    }
    return r;
  }

  private static int vaultMult(int a, int b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return EXP[(LOG[a] + LOG[b]) % 255];
  }

  private static int vaultDiv(int a, int b) {
    if (a == 0) {
      return 0;
    }
    int diff = (LOG[a] - LOG[b]) % 255;
    return EXP[diff < 0 ? diff + 255 : diff];
  }

  /** Vault-style split with given coefficients per secret byte (coefficients[b][0] = secret). */
  private static List<byte[]> vaultSplit(int[][] coefficients, int parts) {
    int len = coefficients.length;
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      byte[] share = new byte[len + 1];
      share[len] = (byte) (i + 1);
      for (int b = 0; b < len; b++) {
        int[] c = coefficients[b];
        int y = c[c.length - 1];
        for (int d = c.length - 2; d >= 0; d--) {
          y = vaultMult(y, i + 1) ^ c[d];
        }
        share[b] = (byte) y;
      }
      out.add(share);
    }
    return out;
  }

  /** Vault-style combine (Lagrange at 0 with table arithmetic). */
  private static byte[] vaultCombine(List<byte[]> parts) {
    int len = parts.get(0).length - 1;
    byte[] secret = new byte[len];
    for (int b = 0; b < len; b++) {
      int result = 0;
      for (int i = 0; i < parts.size(); i++) {
        int xi = parts.get(i)[len] & 0xFF;
        int basis = 1;
        for (int j = 0; j < parts.size(); j++) {
          if (i != j) {
            int xj = parts.get(j)[len] & 0xFF;
            basis = vaultMult(basis, vaultDiv(xj, xi ^ xj));
          }
        }
        result ^= vaultMult(parts.get(i)[b] & 0xFF, basis);
      }
      secret[b] = (byte) result;
    }
    return secret;
  }

  @Test
  void theReferenceTablesAreVaultsPublishedTables() {
    // Spot checks against Vault's shamir/tables.go.
    assertThat(EXP[1]).isEqualTo(0xe5);
    assertThat(EXP[8]).isEqualTo(0x03);
    assertThat(EXP[254]).isEqualTo(0x0e);
    assertThat(EXP[255]).isEqualTo(0x01);
    assertThat(LOG[2]).isEqualTo(0xc8);
    assertThat(LOG[3]).isEqualTo(0x08);
    assertThat(LOG[0xff]).isEqualTo(0x38);
  }

  @Test
  void sharesMadeTheVaultWayCombineWithOurs() {
    // A fixed vector: the secret "test" under fixed degree-2 polynomials, five shares.
    int[][] coefficients = {{'t', 0x11, 0xf0}, {'e', 0x00, 0x01}, {'s', 0xab, 0xcd}, {'t', 0x7f, 0x80}};
    List<byte[]> vaultShares = vaultSplit(coefficients, 5);

    assertThat(Shamir.combine(List.of(vaultShares.get(0), vaultShares.get(2), vaultShares.get(4))))
        .isEqualTo(TEST);
    assertThat(Shamir.combine(List.of(vaultShares.get(3), vaultShares.get(1), vaultShares.get(0))))
        .isEqualTo(TEST);
    // Our evaluation gives byte-for-byte the shares Vault's evaluation gives.
    for (int i = 0; i < 5; i++) {
      for (int b = 0; b < coefficients.length; b++) {
        byte[] c = new byte[3];
        for (int d = 0; d < 3; d++) {
          c[d] = (byte) coefficients[b][d];
        }
        assertThat((byte) Shamir.evaluate(c, i + 1)).isEqualTo(vaultShares.get(i)[b]);
      }
    }
  }

  @Test
  void ourSharesCombineTheVaultWay() {
    List<byte[]> shares = Shamir.split(TEST, 3, 5, TestSupport.seeded(42));

    assertThat(vaultCombine(List.of(shares.get(4), shares.get(1), shares.get(2)))).isEqualTo(TEST);
  }

  @Test
  void splitsLikeVaultsTestSplit() {
    List<byte[]> out = Shamir.split(TEST, 3, 5, new SecureRandom());

    assertThat(out).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(out.get(i)).hasSize(TEST.length + 1);
      assertThat(out.get(i)[TEST.length]).isEqualTo((byte) (i + 1));
    }
  }

  @Test
  void everyOrderedTripleOfFiveSharesRebuildsTheSecretLikeVaultsTestCombine() {
    List<byte[]> out = Shamir.split(TEST, 3, 5, TestSupport.seeded(7));
    int checked = 0;
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        for (int k = 0; k < 5; k++) {
          if (i != j && j != k && i != k) {
            assertThat(Shamir.combine(List.of(out.get(i), out.get(j), out.get(k))))
                .as("shares %d %d %d", i, j, k)
                .isEqualTo(TEST);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(60);
  }

  @Test
  void rejectsInvalidSplitsLikeVaultsTestSplitInvalid() {
    SecureRandom r = new SecureRandom();
    assertThatThrownBy(() -> Shamir.split(TEST, 0, 0, r)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shamir.split(TEST, 3, 2, r)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shamir.split(TEST, 3, 1000, r)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shamir.split(TEST, 1, 10, r)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shamir.split(new byte[0], 2, 3, r))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shamir.split(null, 2, 3, r)).isInstanceOf(NullPointerException.class);
    assertThat(Shamir.split(TEST, 255, 255, r)).hasSize(255);
    assertThatThrownBy(() -> Shamir.split(TEST, 2, 256, r))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsInvalidCombinationsLikeVaultsTestCombineInvalid() {
    assertThatThrownBy(() -> Shamir.combine(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shamir.combine(List.of(bytes("foo"), bytes("ba"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same length");
    assertThatThrownBy(() -> Shamir.combine(List.of(bytes("f"), bytes("b"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shamir.combine(List.of(bytes("foo"), bytes("foo"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x coordinate");
  }

  @Test
  void rejectsAShareWithTheXCoordinateZero() {
    List<byte[]> shares = Shamir.split(TEST, 2, 3, TestSupport.seeded(1));
    shares.get(1)[TEST.length] = 0;

    assertThatThrownBy(() -> Shamir.combine(shares.subList(0, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share 2 has the x coordinate 0");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @ParameterizedTest(name = "K={0}, N={1}")
  @CsvSource({"2,3", "3,5", "4,6", "2,2", "5,5"})
  void everySubsetOfAtLeastKSharesRebuildsTheSecretAndSmallerOnesDoNot(int k, int n) {
    byte[] secret = new byte[32];
    TestSupport.seeded(k * 100L + n).nextBytes(secret);
    List<byte[]> shares = Shamir.split(secret, k, n, TestSupport.seeded(n * 100L + k));
    int rebuilt = 0;
    for (int mask = 1; mask < (1 << n); mask++) {
      List<byte[]> subset = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if ((mask & (1 << i)) != 0) {
          subset.add(shares.get(i));
        }
      }
      if (subset.size() >= k) {
        assertThat(Shamir.combine(subset)).as("subset %s", Integer.toBinaryString(mask)).isEqualTo(secret);
        rebuilt++;
      } else if (subset.size() >= 2) {
        // With 32 random bytes, K-1 shares interpolate to the secret only by a 2^-256 accident.
        assertThat(Shamir.combine(subset)).isNotEqualTo(secret);
      }
    }
    int expected = 0;
    for (int size = k; size <= n; size++) {
      expected += binomial(n, size);
    }
    assertThat(rebuilt).isEqualTo(expected);
  }

  private static int binomial(int n, int r) {
    long c = 1;
    for (int i = 0; i < r; i++) {
      c = c * (n - i) / (i + 1);
    }
    return (int) c;
  }

  @Test
  void splitsAndRebuildsAtTheLargestThreshold() {
    byte[] secret = new byte[32];
    TestSupport.seeded(3).nextBytes(secret);
    List<byte[]> shares = Shamir.split(secret, 128, 255, TestSupport.seeded(4));

    assertThat(Shamir.combine(shares.subList(100, 228))).isEqualTo(secret);
    assertThat(Shamir.combine(shares)).isEqualTo(secret);
    assertThat(Shamir.combine(shares.subList(0, 127))).isNotEqualTo(secret);
  }

  @Test
  void twoSharesOfAThreeOfNSplitHitEveryPairOfValuesExactlyOnceForAnySecret() {
    // Exhaustive: over all 65536 choices of the two random coefficients, the y values of two
    // shares take every (y1, y2) exactly once, whatever the secret. So K-1 shares carry no
    // information about the secret (perfect secrecy), for these x pairs.
    int[][] xPairs = {{1, 2}, {3, 255}, {17, 200}};
    for (int secret : new int[] {0x00, 0x5A, 0xFF}) {
      for (int[] xs : xPairs) {
        boolean[] seen = new boolean[65536];
        for (int a1 = 0; a1 < 256; a1++) {
          for (int a2 = 0; a2 < 256; a2++) {
            byte[] c = {(byte) secret, (byte) a1, (byte) a2};
            int cell = (Shamir.evaluate(c, xs[0]) << 8) | Shamir.evaluate(c, xs[1]);
            assertThat(seen[cell]).as("secret %d, x %d,%d", secret, xs[0], xs[1]).isFalse();
            seen[cell] = true;
          }
        }
      }
    }
  }

  @Test
  void twoSharesOfManyRandomThreeOfFiveSplitsAreUniformWhateverTheSecret() {
    // Statistical: with K=3 and a one-byte secret, the pair (y of share 2, y of share 5) over many
    // seeded splits follows the uniform distribution on 65536 cells, for two different secrets.
    int cells = 65536;
    int splits = cells * 8;
    for (int secret : new int[] {0x00, 0xA5}) {
      SecureRandom random = TestSupport.fastSeeded(1000 + secret);
      int[] counts = new int[cells];
      byte[] one = {(byte) secret};
      for (int s = 0; s < splits; s++) {
        List<byte[]> shares = Shamir.split(one, 3, 5, random);
        counts[((shares.get(1)[0] & 0xFF) << 8) | (shares.get(4)[0] & 0xFF)]++;
      }
      double expected = (double) splits / cells;
      double chi2 = 0;
      for (int c : counts) {
        chi2 += (c - expected) * (c - expected) / expected;
      }
      double df = cells - 1;
      double sigma = Math.sqrt(2 * df);
      // 6 sigma: a deterministic seed, so this never flakes; a biased scheme lands far outside.
      assertThat(Math.abs(chi2 - df)).as("chi-square %s for secret %d", chi2, secret).isLessThan(6 * sigma);
    }
  }

  @Test
  void theUniformityTestNoticesABiasedSplit() {
    // Control for the statistical test: a split that leaks (degree 1 with K=3 shares given as 2)
    // is rejected by the same statistic.
    int cells = 65536;
    int splits = cells * 8;
    SecureRandom random = TestSupport.fastSeeded(5);
    int[] counts = new int[cells];
    byte[] c = new byte[2];
    for (int s = 0; s < splits; s++) {
      random.nextBytes(c);
      c[0] = (byte) 0xA5;
      counts[(Shamir.evaluate(c, 2) << 8) | Shamir.evaluate(c, 5)]++;
    }
    double expected = (double) splits / cells;
    double chi2 = 0;
    for (int n : counts) {
      chi2 += (n - expected) * (n - expected) / expected;
    }
    double df = cells - 1;
    assertThat(Math.abs(chi2 - df)).isGreaterThan(6 * Math.sqrt(2 * df));
  }

  // ---- The previous byte-by-byte implementation, kept as a reference -------------------------
  // Split and combine one byte at a time with Gf256 (constant-time shift-and-xor), as Shamir did
  // before it worked on 64-bit words. The word-wise code must agree with it bit for bit.

  /** Reference split: coefficients[d][b] is the coefficient of x^(d+1) for secret byte b. */
  private static List<byte[]> referenceSplit(byte[] secret, byte[][] coefficients, int count) {
    int len = secret.length;
    List<byte[]> shares = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] share = new byte[len + 1];
      share[len] = (byte) (i + 1);
      for (int b = 0; b < len; b++) {
        byte[] c = new byte[coefficients.length + 1];
        c[0] = secret[b];
        for (int d = 0; d < coefficients.length; d++) {
          c[d + 1] = coefficients[d][b];
        }
        share[b] = (byte) Shamir.evaluate(c, i + 1);
      }
      shares.add(share);
    }
    return shares;
  }

  private static byte[] referenceCombine(List<byte[]> shares) {
    int len = shares.get(0).length - 1;
    int k = shares.size();
    int[] basis = new int[k];
    for (int i = 0; i < k; i++) {
      int xi = shares.get(i)[len] & 0xFF;
      int num = 1;
      int den = 1;
      for (int j = 0; j < k; j++) {
        if (j != i) {
          int xj = shares.get(j)[len] & 0xFF;
          num = Gf256.mul(num, xj);
          den = Gf256.mul(den, Gf256.add(xi, xj));
        }
      }
      basis[i] = Gf256.div(num, den);
    }
    byte[] secret = new byte[len];
    for (int b = 0; b < len; b++) {
      int acc = 0;
      for (int i = 0; i < k; i++) {
        acc ^= Gf256.mul(shares.get(i)[b] & 0xFF, basis[i]);
      }
      secret[b] = (byte) acc;
    }
    return secret;
  }

  @ParameterizedTest(name = "K={0}, N={1}, length {2}")
  @CsvSource({
    "2,3,32", "3,5,32", "128,255,32", "2,2,1", "3,4,7", "4,9,8", "5,7,9", "2,255,33", "255,255,17",
    "7,20,64"
  })
  void splitGivesTheSharesOfTheByteByByteReferenceForTheSameCoefficients(int k, int n, int len) {
    for (long seed = 0; seed < 20; seed++) {
      byte[] secret = new byte[len];
      TestSupport.fastSeeded(seed * 7919 + len).nextBytes(secret);

      List<byte[]> shares = Shamir.split(secret, k, n, TestSupport.fastSeeded(seed));

      // Shamir draws all coefficients in one call: K-1 rows of L bytes, lowest degree first.
      byte[] drawn = new byte[(k - 1) * len];
      TestSupport.fastSeeded(seed).nextBytes(drawn);
      byte[][] coefficients = new byte[k - 1][];
      for (int d = 0; d < k - 1; d++) {
        coefficients[d] = Arrays.copyOfRange(drawn, d * len, (d + 1) * len);
      }
      List<byte[]> expected = referenceSplit(secret, coefficients, n);
      assertThat(shares).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(shares.get(i)).as("seed %d share %d", seed, i).isEqualTo(expected.get(i));
      }
    }
  }

  @ParameterizedTest(name = "{0} shares of length {1}")
  @CsvSource({"2,2", "2,33", "3,32", "5,9", "17,8", "128,33", "255,32", "255,2", "64,65"})
  void combineAgreesWithTheByteByByteReferenceOnArbitraryShares(int k, int shareLen) {
    // Any y values and any distinct non-zero x coordinates: combine is a fixed linear map, and
    // both implementations must compute the same one, whether or not the shares fit together.
    SecureRandom random = TestSupport.fastSeeded(k * 1000L + shareLen);
    List<Integer> xs = new ArrayList<>();
    for (int x = 1; x <= 255; x++) {
      xs.add(x);
    }
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(xs, random);
      List<byte[]> shares = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        byte[] share = new byte[shareLen];
        random.nextBytes(share);
        share[shareLen - 1] = (byte) (int) xs.get(i);
        shares.add(share);
      }
      assertThat(Shamir.combine(shares)).as("round %d", round).isEqualTo(referenceCombine(shares));
    }
  }

  @ParameterizedTest(name = "K={0}, N={1}, length {2}")
  @CsvSource({"2,3,32", "3,5,32", "128,255,32", "3,8,5", "10,12,13"})
  void randomSplitsRebuildFromRandomSubsetsOfKShares(int k, int n, int len) {
    SecureRandom random = TestSupport.fastSeeded(k * 31L + n * 7L + len);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    for (int round = 0; round < 20; round++) {
      byte[] secret = new byte[len];
      random.nextBytes(secret);
      List<byte[]> shares = Shamir.split(secret, k, n, random);
      Collections.shuffle(order, random);
      List<byte[]> subset = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        subset.add(shares.get(order.get(i)));
      }
      assertThat(Shamir.combine(subset)).isEqualTo(secret);
      assertThat(referenceCombine(subset)).isEqualTo(secret);
    }
  }
}
