/**
 * Test support for code that uses kp-dedicated: {@link io.kpdedicated.testkit.InMemoryDedicatedCloud},
 * an in-memory Key Protect Dedicated cloud (provisioning, the crypto-unit state machine, signature
 * and nonce checks, key import) with fault injection, call counts, snapshots and arrangers that put
 * units into any state; {@link io.kpdedicated.testkit.InMemoryTransport}, a transport over it for
 * unit tests; and {@link io.kpdedicated.testkit.ManualClock}, a clock with a sleeper that advances
 * it, so that no test sleeps for real. {@link io.kpdedicated.testkit.Testbed} wires all of them,
 * with fast keys and cheap key-file costs, into a test in three lines.
 */
package io.kpdedicated.testkit;
