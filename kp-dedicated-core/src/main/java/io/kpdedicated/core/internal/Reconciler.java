package io.kpdedicated.core.internal;

import io.kpdedicated.core.InitializationResult;
import java.util.Objects;

/** Runs one initialization. Internal. */
public final class Reconciler {
  private final InitializerSettings settings;

  /**
   * Creates a reconciler for one run.
   *
   * @param settings the settings
   */
  public Reconciler(InitializerSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Runs.
   *
   * @return the result
   */
  public InitializationResult run() {
    throw new UnsupportedOperationException("run() is being implemented");
  }
}
