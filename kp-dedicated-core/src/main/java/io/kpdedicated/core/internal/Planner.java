package io.kpdedicated.core.internal;

import io.kpdedicated.core.InitializationPlan;
import java.util.Objects;

/** Computes a dry-run plan. Internal. */
public final class Planner {
  private final InitializerSettings settings;

  /**
   * Creates a planner.
   *
   * @param settings the settings
   */
  public Planner(InitializerSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Plans.
   *
   * @return the plan
   */
  public InitializationPlan plan() {
    throw new UnsupportedOperationException("plan() is being implemented");
  }
}
