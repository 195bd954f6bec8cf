/**
 * The transport SPI: what the initializer needs from the outside world, the Resource Controller side
 * (provisioning) and the instance side (crypto units and signed HSM sessions). The REST transport of
 * {@code kp-dedicated-http} and the in-memory transport of {@code kp-dedicated-testkit} implement
 * it; implementations are thread-safe and report failures as service errors (the service answered
 * with an error) or transport errors (no usable answer), each saying whether a retry can help.
 */
package io.kpdedicated.core.spi;
