package io.kpdedicated.core.spi;

import io.kpdedicated.core.KdfCost;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * What a backend needs to prepare a credential or a master key.
 *
 * @param dryRun true when called by {@code plan()}: read files, but write none (what would be
 *     generated is made in memory only)
 * @param random randomness for new keys and files
 * @param clock dates new files and certificates
 * @param kdfCost how expensive the protection of new files is
 */
public record PrepareContext(boolean dryRun, SecureRandom random, Clock clock, KdfCost kdfCost) {
  /**
   * Validates the fields.
   *
   * @param dryRun true when called by {@code plan()}: read files, but write none (what would be
   *     generated is made in memory only)
   * @param random randomness for new keys and files
   * @param clock dates new files and certificates
   * @param kdfCost how expensive the protection of new files is
   */
  public PrepareContext {
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(kdfCost, "kdfCost");
  }
}
