package io.kpdedicated.core.spi;

/**
 * Everything the initializer needs from the outside world: the Resource Controller side
 * (provisioning) and the instance side (crypto units and HSM sessions).
 *
 * <p>Implementations: the REST transport ({@code kp-dedicated-http}), the in-memory transport of
 * {@code kp-dedicated-testkit}, or a user's decorator around either (logging, metrics). They must be
 * thread-safe: the initializer calls them from several threads at once, one unit per thread.
 *
 * <p>Failures are reported as unchecked {@link io.kpdedicated.KpDedicatedException}s: usually
 * {@link ServiceException} (the service answered with an error) or {@link TransportException} (no
 * usable answer: I/O, timeout, malformed body). Both say which unit, whether a retry can help, and
 * what to do.
 */
public interface DedicatedTransport {

  /** Returns the Resource Controller side. */
  ProvisioningApi provisioning();

  /** Returns the crypto-unit side. */
  CryptoUnitApi cryptoUnits();
}
