package io.kpdedicated.crypto;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * How keyshare files are written: the passphrase KDF and its cost, whether existing files may be
 * replaced, the source of randomness (salts, nonces, share polynomials, set id) and the clock that
 * stamps the creation time.
 *
 * <p>Immutable and thread-safe (the {@link SecureRandom} given is shared, and {@code SecureRandom}
 * is thread-safe). Example for tests, with a cheap KDF:
 *
 * <pre>{@code
 * KeyshareWriteOptions options = KeyshareWriteOptions.builder()
 *     .kdf(KdfParameters.argon2id(64, 1, 1))
 *     .overwrite(false)
 *     .random(new SecureRandom())
 *     .clock(Clock.systemUTC())
 *     .build();
 * }</pre>
 */
public final class KeyshareWriteOptions {
  private final KdfParameters kdf;
  private final boolean overwrite;
  private final SecureRandom random;
  private final Clock clock;

  private KeyshareWriteOptions(Builder b) {
    this.kdf = b.kdf;
    this.overwrite = b.overwrite;
    this.random = b.random != null ? b.random : new SecureRandom();
    this.clock = b.clock;
  }

  /**
   * Defaults: OWASP-level Argon2id, never overwrite, a new SecureRandom, the system clock (UTC).
   *
   * @return the default options
   */
  public static KeyshareWriteOptions defaults() {
    return builder().build();
  }

  /** {@return a builder holding the defaults of {@link #defaults()}} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder that starts from these options} */
  public Builder toBuilder() {
    return new Builder().kdf(kdf).overwrite(overwrite).random(random).clock(clock);
  }

  /** {@return the KDF and its parameters} */
  public KdfParameters kdf() {
    return kdf;
  }

  /** {@return whether existing files may be replaced} */
  public boolean overwrite() {
    return overwrite;
  }

  /** {@return the source of randomness} */
  public SecureRandom random() {
    return random;
  }

  /** {@return the clock that stamps the creation time} */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "KeyshareWriteOptions[kdf=" + kdf + ", overwrite=" + overwrite + "]";
  }

  /** Builds {@link KeyshareWriteOptions}. Not thread-safe; setters reject null at once. */
  public static final class Builder {
    private KdfParameters kdf = KdfParameters.owaspArgon2id();
    private boolean overwrite;
    private SecureRandom random;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets the KDF (default: {@link KdfParameters#owaspArgon2id()}).
     *
     * @param kdf the KDF and its cost parameters for new files
     * @return this builder
     * @throws NullPointerException if {@code kdf} is null
     */
    public Builder kdf(KdfParameters kdf) {
      this.kdf = Objects.requireNonNull(kdf, "kdf");
      return this;
    }

    /**
     * Allows replacing existing files (default: false, an existing file is an error).
     *
     * @param overwrite {@code true} to replace existing files
     * @return this builder
     */
    public Builder overwrite(boolean overwrite) {
      this.overwrite = overwrite;
      return this;
    }

    /**
     * Sets the randomness (default: a new {@link SecureRandom}). Inject a seeded one only in tests.
     *
     * @param random the source of salts, nonces and share coefficients
     * @return this builder
     * @throws NullPointerException if {@code random} is null
     */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Sets the clock for the creation time (default: the system clock in UTC).
     *
     * @param clock the clock that stamps each file's creation time
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** {@return the options} */
    public KeyshareWriteOptions build() {
      return new KeyshareWriteOptions(this);
    }
  }
}
