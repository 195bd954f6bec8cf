/**
 * Benchmarks (built only with the {@code bench} profile): JMH benchmarks of Shamir splitting and
 * rebuilding and of keyshare files, and {@link io.kpdedicated.bench.InitializationBench}, which
 * times whole initializations against the in-memory cloud.
 */
package io.kpdedicated.bench;
