/**
 * The native HSM backend of kp-dedicated: IBM's {@code ibmkmscrypto} library driven through JNA.
 * Exports its API only.
 */
// JNA ships as an automatic module; its types are part of this API (the library interface).
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.kpdedicated.nativehsm {
  requires transitive io.kpdedicated.http;
  requires transitive com.sun.jna;

  exports io.kpdedicated.nativehsm;
  // JNA builds a proxy over the library interface and reads its callbacks reflectively.
  opens io.kpdedicated.nativehsm to com.sun.jna;
}
