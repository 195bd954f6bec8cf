package io.kpdedicated.core.internal;

import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.ServiceInstance;
import java.util.Objects;

/**
 * The instance a run works on.
 *
 * @param instance as last read, or {@code null} when the caller gave the endpoint directly
 * @param target where crypto-unit calls go
 */
record ResolvedInstance(ServiceInstance instance, InstanceTarget target) {
  /** Validates the fields. */
  public ResolvedInstance {
    Objects.requireNonNull(target, "target");
  }
}
