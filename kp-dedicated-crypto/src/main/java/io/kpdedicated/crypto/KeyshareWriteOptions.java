package io.kpdedicated.crypto;

/** How keyshare files are written (KDF cost, overwrite, randomness, clock). Contract only. */
public final class KeyshareWriteOptions {
  private KeyshareWriteOptions() {}

  /** Defaults: OWASP-level Argon2id, never overwrite, a new SecureRandom, the system clock. */
  public static KeyshareWriteOptions defaults() {
    return new KeyshareWriteOptions();
  }
}
