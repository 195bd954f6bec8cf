package io.kpdedicated.core.model;

import java.util.Objects;

/**
 * A master key loaded in a crypto unit, as far as it can be seen from outside.
 *
 * @param name the key name (at most 8 characters)
 * @param checkValue the key check value, in the backend's own text
 */
public record MasterKeyInfo(String name, CheckValue checkValue) {
  /**
   * Validates the fields.
   *
   * @param name the key name (at most 8 characters)
   * @param checkValue the key check value, in the backend's own text
   */
  public MasterKeyInfo {
    CryptoUnit.requireText(name, "name");
    Objects.requireNonNull(checkValue, "checkValue");
  }
}
