/**
 * Small programs that embed kp-dedicated, each run by the build's tests:
 * {@link io.kpdedicated.examples.GeneratedKeysExample} (a generated admin key and 2-of-3
 * keyshares), {@link io.kpdedicated.examples.BringYourOwnAdminExample} (an admin key from PKCS#12,
 * a JCA {@code KeyStore} or your own signer) and
 * {@link io.kpdedicated.examples.RetryAndProgressExample} (a retry policy and a progress listener
 * against injected faults).
 */
package io.kpdedicated.examples;
