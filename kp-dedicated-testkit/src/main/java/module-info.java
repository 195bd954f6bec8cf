/**
 * The kp-dedicated test kit: an in-memory Dedicated cloud and transport, the loopback HTTP
 * emulator and JUnit 5 extensions.
 */
// JNA ships as an automatic module.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.kpdedicated.testkit {
  requires transitive io.kpdedicated.http;
  requires transitive org.junit.jupiter.api;
  requires jdk.httpserver;
  requires org.bouncycastle.provider;
  requires com.fasterxml.jackson.databind;
  // Optional: only the native stand-in (io.kpdedicated.testkit.nativehsm) needs them.
  requires static transitive io.kpdedicated.nativehsm;
  requires static transitive com.sun.jna;

  exports io.kpdedicated.testkit;
  exports io.kpdedicated.testkit.emulator;
  exports io.kpdedicated.testkit.junit;
  exports io.kpdedicated.testkit.nativehsm;
  opens io.kpdedicated.testkit.nativehsm to com.sun.jna;
}
