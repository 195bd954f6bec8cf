package io.kpdedicated.core.model;

import java.util.Locale;

/**
 * The state of a crypto unit as the service reports it.
 *
 * <p>A wire value this SDK does not know maps to {@link #UNKNOWN}; {@link CryptoUnit#rawState()}
 * keeps the original text so nothing is lost.
 */
public enum UnitState {
  /** Not yet reserved for an instance. */
  AVAILABLE("available"),
  /** Reserved for the instance, not yet claimed by an administrator. */
  RESERVED("reserved"),
  /** An administrator's signature key is installed. */
  CLAIMED("claimed"),
  /** The {@code kmsCryptoUser} was added before the master key. */
  KMS_AUTHORIZED("kms-authorized"),
  /** The master key is loaded, the {@code kmsCryptoUser} is not added yet. */
  INITIALIZED("initialized"),
  /** Master key loaded and {@code kmsCryptoUser} added: ready for use. */
  KMS_INITIALIZED("kms-initialized"),
  /** The unit is being removed. */
  MARKED_FOR_DEL("marked-for-del"),
  /** The unit was wiped. */
  ZEROIZED("zeroized"),
  /** The unit is temporarily out of service; try again later. */
  MAINTENANCE("maintenance"),
  /** A value this SDK does not know. */
  UNKNOWN(null);

  private final String wireValue;

  UnitState(String wireValue) {
    this.wireValue = wireValue;
  }

  /** {@return the value the service uses on the wire, or {@code null} for {@link #UNKNOWN}} */
  public String wireValue() {
    return wireValue;
  }

  /**
   * Maps a wire value (case-insensitive, surrounding blanks ignored) to a state.
   *
   * @param value the wire value; null maps to {@link #UNKNOWN}
   * @return the state, never null
   */
  public static UnitState fromWire(String value) {
    if (value == null) {
      return UNKNOWN;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (UnitState s : values()) {
      if (v.equals(s.wireValue)) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
