package io.kpdedicated.nativehsm;

import io.kpdedicated.core.InitializationPlan.KeysharesAction;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.spi.PreparedMasterKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The master key of a run in the native backend: IBM's share files with their passphrases. The
 * files are opaque, so nothing is checked offline and the check value is known only once a unit
 * holds the key (the unit's value is then remembered). Thread-safe.
 */
final class NativePreparedKey implements PreparedMasterKey {
  private final String keyName;
  private final List<ShareFile> shares;
  private final int threshold;
  private final KeysharesAction action;
  private final String description;
  private volatile boolean needsGeneration;
  private volatile CheckValue checkValue;

  NativePreparedKey(String keyName, List<ShareFile> shares, int threshold,
      boolean needsGeneration, KeysharesAction action, String description) {
    this.keyName = Objects.requireNonNull(keyName, "keyName");
    this.shares = List.copyOf(shares);
    this.threshold = threshold;
    this.needsGeneration = needsGeneration;
    this.action = Objects.requireNonNull(action, "action");
    this.description = Objects.requireNonNull(description, "description");
  }

  List<ShareFile> shares() {
    return shares;
  }

  /** Returns K, or 0 when not known (existing share files). */
  int threshold() {
    return threshold;
  }

  void generated() {
    needsGeneration = false;
  }

  void learned(CheckValue value) {
    if (checkValue == null) {
      checkValue = value;
    }
  }

  @Override
  public String keyName() {
    return keyName;
  }

  @Override
  public Optional<CheckValue> checkValue() {
    return Optional.ofNullable(checkValue);
  }

  @Override
  public boolean checkedOffline() {
    return false;
  }

  @Override
  public boolean needsGeneration() {
    return needsGeneration;
  }

  @Override
  public KeysharesAction action() {
    return action;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    // No key material is held in memory: it lives in the share files and the units.
  }

  @Override
  public String toString() {
    return "NativePreparedKey[" + keyName + ", " + shares.size() + " share files"
        + (needsGeneration ? ", to generate" : "") + "]";
  }
}
