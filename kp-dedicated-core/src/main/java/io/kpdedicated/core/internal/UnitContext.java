package io.kpdedicated.core.internal;

import io.kpdedicated.core.Step;
import io.kpdedicated.core.WaitPolicy;
import io.kpdedicated.core.model.CryptoUserMetadata;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.crypto.AdminSigner;
import io.kpdedicated.crypto.KeyCheckValue;
import io.kpdedicated.crypto.MasterKey;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What every unit worker of one run shares: where the units are, who signs, the key material, and
 * the instance-wide crypto-user metadata (read once). Thread-safe.
 */
public final class UnitContext {
  private final CryptoUnitApi api;
  private final InstanceTarget target;
  private final AdminSigner signer;
  private final Supplier<String> claimPem;
  private final Supplier<MasterKey> key;
  private final KeyCheckValue expected;
  private final RetryExecutor retry;
  private final Waiter waiter;
  private final WaitPolicy maintenancePolicy;
  private final Clock clock;
  private final Events events;
  private CryptoUserMetadata metadata;

  /**
   * Creates the shared context.
   *
   * @param api the crypto-unit API
   * @param target the instance endpoint
   * @param signer the administrator
   * @param claimPem the administrator public key for claims (computed on first use)
   * @param key the master key (rebuilt on first use)
   * @param expected the check value every unit must hold
   * @param retry runs calls with retries
   * @param waiter polls units in maintenance
   * @param maintenancePolicy the per-unit maintenance budget
   * @param clock the clock
   * @param events where events go
   */
  public UnitContext(CryptoUnitApi api, InstanceTarget target, AdminSigner signer,
      Supplier<String> claimPem, Supplier<MasterKey> key, KeyCheckValue expected,
      RetryExecutor retry, Waiter waiter, WaitPolicy maintenancePolicy, Clock clock,
      Events events) {
    this.api = Objects.requireNonNull(api, "api");
    this.target = Objects.requireNonNull(target, "target");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.claimPem = Objects.requireNonNull(claimPem, "claimPem");
    this.key = Objects.requireNonNull(key, "key");
    this.expected = Objects.requireNonNull(expected, "expected");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.waiter = Objects.requireNonNull(waiter, "waiter");
    this.maintenancePolicy = Objects.requireNonNull(maintenancePolicy, "maintenancePolicy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = Objects.requireNonNull(events, "events");
  }

  CryptoUnitApi api() {
    return api;
  }

  InstanceTarget target() {
    return target;
  }

  AdminSigner signer() {
    return signer;
  }

  String claimPem() {
    return claimPem.get();
  }

  MasterKey key() {
    return key.get();
  }

  KeyCheckValue expected() {
    return expected;
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
