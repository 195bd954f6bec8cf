package io.kpdedicated.core.spi;

/**
 * Everything the initializer needs from the outside world: the Resource Controller side
 * (provisioning), the instance's crypto-unit REST side, and the HSM backend that realizes the
 * administrator credential and the master key and opens admin sessions on units.
 *
 * <p>Implementations: the REST transport ({@code kp-dedicated-http}), the in-memory transport of
 * {@code kp-dedicated-testkit}, a native backend, or a user's decorator around any of them
 * (logging, metrics). They must be thread-safe: the initializer calls them from several threads at
 * once, one unit per thread.
 *
 * <p>Failures are reported as unchecked {@link io.kpdedicated.KpDedicatedException}s: usually
 * {@link ServiceException} (the service answered with an error) or {@link TransportException} (no
 * usable answer: I/O, timeout, malformed body). Both carry a {@link FailureKind}, the unit,
 * whether a retry can help, and what to do.
 */
public interface DedicatedTransport {

  /**
   * Returns the Resource Controller side.
   *
   * @return the provisioning API
   */
  ProvisioningApi provisioning();

  /**
   * Returns the crypto-unit REST side.
   *
   * @return the crypto-unit API
   */
  CryptoUnitApi cryptoUnits();

  /**
   * Returns the HSM backend: how credentials and master keys are realized and sessions opened.
   *
   * @return the backend
   */
  HsmBackend hsm();
}
