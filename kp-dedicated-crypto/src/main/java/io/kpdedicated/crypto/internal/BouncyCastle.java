package io.kpdedicated.crypto.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Holds the one BouncyCastle provider instance this module passes explicitly to JCA calls. It is
 * never registered globally ({@code Security.addProvider} is not called).
 */
public final class BouncyCastle {
  private BouncyCastle() {}

  private static final class Holder {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }

  /** Returns the shared, lazily created provider instance. Thread-safe. */
  public static Provider provider() {
    return Holder.PROVIDER;
  }
}
