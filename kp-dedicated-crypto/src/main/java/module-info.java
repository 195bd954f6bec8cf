/**
 * Cryptography of kp-dedicated: administrator identities, master keys, key check values, Shamir
 * keyshares and their files. Exports its API only; {@code io.kpdedicated.crypto.internal} stays
 * inside (opened to Jackson for the keyshare file format).
 */
module io.kpdedicated.crypto {
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires com.fasterxml.jackson.databind;

  exports io.kpdedicated;
  exports io.kpdedicated.crypto;

  opens io.kpdedicated.crypto.internal to com.fasterxml.jackson.databind;
}
