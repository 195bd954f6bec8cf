/**
 * The initializer: {@code DedicatedInitializer} takes a Key Protect Dedicated instance to "every
 * crypto unit {@code kms-initialized} with one master key" and can be run again to resume from any
 * state. Its builder takes what to initialize (instance selector), the administrator identity and
 * master key sources, retry and wait policies, a progress listener, and an injected clock and
 * sleeper; it returns a result with every unit's outcome, or reports a plan without changing
 * anything. Failures are typed (partial failure carrying every unit's outcome, wait timeout,
 * failed instance, key mismatch).
 */
package io.kpdedicated.core;
