package io.kpdedicated.crypto.internal;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** AES-CMAC (NIST SP 800-38B, RFC 4493) over BouncyCastle's lightweight API. Thread-safe. */
public final class AesCmac {
  private AesCmac() {}

  /**
   * Computes the full 16-byte AES-CMAC tag.
   *
   * @param key 16, 24 or 32 bytes; not modified
   * @param message the message; not modified
   * @return the tag
   * @throws IllegalArgumentException if the key length is not an AES key length
   */
  public static byte[] mac(byte[] key, byte[] message) {
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new IllegalArgumentException(
          "an AES key has 16, 24 or 32 bytes, this one has " + key.length);
    }
    CMac cmac = new CMac(AESEngine.newInstance());
    cmac.init(new KeyParameter(key));
    cmac.update(message, 0, message.length);
    byte[] tag = new byte[cmac.getMacSize()];
    cmac.doFinal(tag, 0);
    return tag;
  }
}
