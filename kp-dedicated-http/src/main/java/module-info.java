/**
 * The REST transport of kp-dedicated over {@code java.net.http}: IAM, Resource Controller, the
 * crypto-unit API and the signed-REST session protocol. Exports its API only.
 */
module io.kpdedicated.http {
  requires transitive io.kpdedicated.core;
  requires transitive java.net.http;
  requires com.fasterxml.jackson.databind;

  exports io.kpdedicated.http;
}
