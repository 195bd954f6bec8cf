package io.kpdedicated.core.internal;

import io.kpdedicated.core.Step;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.spi.AdminCredential;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.spi.HsmBackend;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.core.spi.PreparedMasterKey;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every unit worker of one run shares: where the units are, the backend and its credential
 * and master key, the check value every unit must hold (known from the keyshares, learnt from the
 * instance, or from the first unit that loads the key) and the instance-wide crypto-user metadata
 * (read once). Thread-safe.
 */
final class UnitContext {
  private final CryptoUnitApi api;
  private final HsmBackend hsm;
  private final InstanceTarget target;
  private final AdminCredential admin;
  private final PreparedMasterKey key;
  private final RetryExecutor retry;
  private final Waiter waiter;
  private final WaitPolicy maintenancePolicy;
  private final Clock clock;
  private final Events events;
  private final boolean dryRun;
  private CheckValue expected;
  private CryptoUserMetadata metadata;

  UnitContext(CryptoUnitApi api, HsmBackend hsm, InstanceTarget target, AdminCredential admin,
      PreparedMasterKey key, RetryExecutor retry, Waiter waiter, WaitPolicy maintenancePolicy,
      Clock clock, Events events, boolean dryRun) {
    this.api = Objects.requireNonNull(api, "api");
    this.hsm = Objects.requireNonNull(hsm, "hsm");
    this.target = Objects.requireNonNull(target, "target");
    this.admin = Objects.requireNonNull(admin, "admin");
    this.key = Objects.requireNonNull(key, "key");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.waiter = Objects.requireNonNull(waiter, "waiter");
    this.maintenancePolicy = Objects.requireNonNull(maintenancePolicy, "maintenancePolicy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = Objects.requireNonNull(events, "events");
    this.dryRun = dryRun;
    this.expected = key.checkValue().orElse(null);
  }

  CryptoUnitApi api() {
    return api;
  }

  InstanceTarget target() {
    return target;
  }

  AdminCredential admin() {
    return admin;
  }

  PreparedMasterKey key() {
    return key;
  }

  HsmSession openSession(String unitId) {
    return hsm.openSession(target, unitId, admin);
  }

  RetryExecutor retry() {
    return retry;
  }

  Waiter waiter() {
    return waiter;
  }

  WaitPolicy maintenancePolicy() {
    return maintenancePolicy;
  }

  Clock clock() {
    return clock;
  }

  Events events() {
    return events;
  }

  boolean dryRun() {
    return dryRun;
  }

  /** Returns the check value every unit must hold, or {@code null} while it is not known. */
  synchronized CheckValue expected() {
    return expected;
  }

  /** Takes {@code value} as the expected check value unless one is known already. */
  synchronized void learn(CheckValue value) {
    if (expected == null) {
      expected = value;
    }
  }

  /**
   * Returns the crypto-user metadata, reading it (with retries) on first use.
   *
   * @param unitId the unit that needs it (for events)
   * @param attempts counts the calls
   * @return the metadata
   */
  synchronized CryptoUserMetadata metadata(String unitId, AtomicInteger attempts) {
    if (metadata == null) {
      metadata = retry.call(Step.ADD_CRYPTO_USER, unitId, attempts,
          () -> api.cryptoUserMetadata(target));
    }
    return metadata;
  }
}
