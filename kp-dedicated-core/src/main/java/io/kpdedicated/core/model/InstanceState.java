package io.kpdedicated.core.model;

import java.util.Locale;

/**
 * The lifecycle state of a service instance in the Resource Controller.
 *
 * <p>Active is <em>not</em> initialized: an active Dedicated instance still needs its crypto units
 * claimed and loaded. Unknown wire values map to {@link #UNKNOWN};
 * {@link ServiceInstance#rawState()} keeps the text.
 */
public enum InstanceState {
  /** Being created; poll until active. */
  PROVISIONING("provisioning"),
  /** Created and reachable. */
  ACTIVE("active"),
  /** Exists but disabled. */
  INACTIVE("inactive"),
  /** Provisioning failed; the instance will not become active. */
  FAILED("failed"),
  /** Deleted, possibly awaiting reclamation. */
  REMOVED("removed"),
  /** Deleted and waiting to be reclaimed. */
  PENDING_RECLAMATION("pending_reclamation"),
  /** A value this SDK does not know. */
  UNKNOWN(null);

  private final String wireValue;

  InstanceState(String wireValue) {
    this.wireValue = wireValue;
  }

  /** {@return the value used on the wire, or {@code null} for {@link #UNKNOWN}} */
  public String wireValue() {
    return wireValue;
  }

  /**
   * Maps a wire value (case-insensitive) to a state.
   *
   * @param value the wire value; null maps to {@link #UNKNOWN}
   * @return the state, never null
   */
  public static InstanceState fromWire(String value) {
    if (value == null) {
      return UNKNOWN;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (InstanceState s : values()) {
      if (v.equals(s.wireValue)) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
