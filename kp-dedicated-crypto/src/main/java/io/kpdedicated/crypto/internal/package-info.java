/**
 * Implementation details of {@code kp-dedicated-crypto} (AES-CMAC, GF(2^8) arithmetic, hex, the
 * keyshare file's JSON form). Not part of the API: may change in any release.
 */
package io.kpdedicated.crypto.internal;
