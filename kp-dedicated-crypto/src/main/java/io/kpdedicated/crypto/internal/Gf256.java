package io.kpdedicated.crypto.internal;

/**
 * Arithmetic in GF(2^8) with the AES reduction polynomial x^8 + x^4 + x^3 + x + 1 (0x11B).
 *
 * <p>Every operation runs in constant time: no branch and no table lookup depends on the operands.
 * Multiplication is shift-and-xor with masks; the inverse is {@code a^254} computed by a fixed
 * square-and-multiply chain. Values are {@code int}s in {@code 0..255}. Stateless and thread-safe.
 */
public final class Gf256 {
  private Gf256() {}

  /** Adds (and subtracts) two field elements. */
  public static int add(int a, int b) {
    return (a ^ b) & 0xFF;
  }

  /** Multiplies two field elements in constant time. */
  public static int mul(int a, int b) {
    int x = a & 0xFF;
    int y = b & 0xFF;
    int product = 0;
    for (int i = 0; i < 8; i++) {
      product ^= x & -(y & 1);
      int carry = -((x >> 7) & 1);
      x = ((x << 1) ^ (0x1B & carry)) & 0xFF;
      y >>= 1;
    }
    return product;
  }

  /**
   * Returns the multiplicative inverse {@code a^254}; the inverse of 0 is taken to be 0. Constant
   * time.
   */
  public static int inv(int a) {
    // a^254 = a^(2+4+8+16+32+64+128), built with a fixed sequence of squarings and products.
    int a2 = mul(a, a);
    int a4 = mul(a2, a2);
    int a8 = mul(a4, a4);
    int a16 = mul(a8, a8);
    int a32 = mul(a16, a16);
    int a64 = mul(a32, a32);
    int a128 = mul(a64, a64);
    int r = mul(a2, a4);
    r = mul(r, a8);
    r = mul(r, a16);
    r = mul(r, a32);
    r = mul(r, a64);
    return mul(r, a128);
  }

  /** Divides {@code a} by a non-zero {@code b} in constant time. */
  public static int div(int a, int b) {
    return mul(a, inv(b));
  }
}
