/**
 * The kp-dedicated core: the domain model, the unit lifecycle, the transport SPI, the portable HSM
 * backend and the {@code DedicatedInitializer} reconciler. Exports its API only; the reconciler's
 * machinery ({@code io.kpdedicated.core.internal}) stays inside.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.kpdedicated.core {
  requires transitive io.kpdedicated.crypto;
  requires transitive io.github.resilience4j.retry;
  requires io.github.resilience4j.core;

  exports io.kpdedicated.core;
  exports io.kpdedicated.core.model;
  exports io.kpdedicated.core.spi;
  exports io.kpdedicated.core.portable;
}
