/**
 * The cryptography of kp-dedicated, with BouncyCastle and the Java runtime (no provider is ever
 * registered globally).
 *
 * <ul>
 *   <li>The administrator identity: {@link io.kpdedicated.crypto.AdminIdentity} (RSA key pair and
 *       certificate, PKCS#12 and PEM files, signing) behind the one-method
 *       {@link io.kpdedicated.crypto.AdminSigner}; {@link io.kpdedicated.crypto.RsaKeys} for PEM,
 *       signature checks and RSA-OAEP key transport.
 *   <li>The master key: {@link io.kpdedicated.crypto.MasterKey} (AES-256) and its
 *       {@link io.kpdedicated.crypto.KeyCheckValue}.
 *   <li>Keyshares: {@link io.kpdedicated.crypto.Shamir} K-of-N splitting and
 *       {@link io.kpdedicated.crypto.Keyshares}, passphrase-protected keyshare files (Argon2id or
 *       scrypt, AES-256-GCM) with their {@link io.kpdedicated.crypto.KeyshareHeader}.
 *   <li>Secrets at rest: {@link io.kpdedicated.crypto.Passphrase} (wipeable) and
 *       {@link io.kpdedicated.crypto.SecureFiles} (owner-only, atomic, never silently overwriting).
 * </ul>
 *
 * <p>Failures are {@link io.kpdedicated.crypto.CryptoException} and, for files,
 * {@link io.kpdedicated.crypto.KeyFileException} with a precise reason.
 */
package io.kpdedicated.crypto;
