/**
 * A stand-in for IBM's HSM library ({@code ibmkmscrypto}) in tests: the C stand-in library (built
 * by the test build with gcc) exports the library's 17 functions and forwards every call to
 * {@link io.kpdedicated.testkit.nativehsm.StandInHsmModel}, which serves it from the same unit
 * state an {@link io.kpdedicated.testkit.InMemoryDedicatedCloud} serves over REST: a unit claimed
 * over REST is the unit a library session opens on. {@link
 * io.kpdedicated.testkit.nativehsm.StandInExtension} loads the library the way users do
 * ({@code KEYPROTECT_LIB_PATH}) and fails every test that leaks or double-frees a result string.
 *
 * <p>Needs {@code kp-dedicated-native} (and so JNA) on the class path, which the testkit declares
 * as optional. Linux only, like the stand-in build.
 */
package io.kpdedicated.testkit.nativehsm;
