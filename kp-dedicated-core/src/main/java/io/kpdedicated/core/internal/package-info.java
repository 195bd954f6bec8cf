/**
 * Implementation details of {@code kp-dedicated-core} (the reconciler, per-unit decisions, retries
 * and waits). Not part of the API: may change in any release.
 */
package io.kpdedicated.core.internal;
