/**
 * The kp-dedicated test kit: an in-memory Dedicated cloud and transport, the loopback HTTP
 * emulator and JUnit 5 extensions.
 */
module io.kpdedicated.testkit {
  requires transitive io.kpdedicated.http;
  requires transitive org.junit.jupiter.api;
  requires jdk.httpserver;
  requires org.bouncycastle.provider;
  requires com.fasterxml.jackson.databind;

  exports io.kpdedicated.testkit;
  exports io.kpdedicated.testkit.emulator;
  exports io.kpdedicated.testkit.junit;
}
