/**
 * The REST transport of kp-dedicated: {@link io.kpdedicated.http.HttpTransport} implements the core
 * SPI over {@code java.net.http}; {@link io.kpdedicated.http.IamTokenProvider} turns an API key into
 * IAM tokens; {@link io.kpdedicated.http.KpEndpoint} and
 * {@link io.kpdedicated.http.DedicatedEnvironment} read endpoints and environment variables;
 * {@link io.kpdedicated.http.SessionProtocol} names the signed-REST HSM session protocol. Wire
 * formats stay in the {@code internal} package.
 */
package io.kpdedicated.http;
