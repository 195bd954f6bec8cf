/**
 * JUnit 5 support: {@link io.kpdedicated.testkit.junit.LoopbackEmulatorExtension} starts one
 * loopback emulator per test class and hands tests the emulator, its base URI
 * ({@link io.kpdedicated.testkit.junit.EmulatorBaseUri}) and its API key
 * ({@link io.kpdedicated.testkit.junit.EmulatorApiKey}).
 */
package io.kpdedicated.testkit.junit;
