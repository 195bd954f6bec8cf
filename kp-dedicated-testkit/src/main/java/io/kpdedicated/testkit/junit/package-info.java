/**
 * JUnit 5 support: {@link io.kpdedicated.testkit.junit.InMemoryCloudExtension} hands tests an
 * in-memory {@link io.kpdedicated.testkit.Testbed} (cloud, manual clock, transport);
 * {@link io.kpdedicated.testkit.junit.LoopbackEmulatorExtension} starts a loopback emulator and
 * hands tests the emulator, its base URI ({@link io.kpdedicated.testkit.junit.EmulatorBaseUri}) and
 * its API key ({@link io.kpdedicated.testkit.junit.EmulatorApiKey}). Both work per test or per test
 * class ({@link io.kpdedicated.testkit.junit.FixtureScope}), reset a shared fixture between tests,
 * and keep it in the extension store so JUnit closes it.
 */
package io.kpdedicated.testkit.junit;
