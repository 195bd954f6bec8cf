/**
 * The root of kp-dedicated: {@link io.kpdedicated.KpDedicatedException}, the unchecked base of every
 * exception the SDK throws on purpose. Each one names the crypto unit or file concerned where known,
 * whether a retry can help, and what to do next; none carries a secret.
 */
package io.kpdedicated;
