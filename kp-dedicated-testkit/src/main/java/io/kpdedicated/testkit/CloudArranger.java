package io.kpdedicated.testkit;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import java.util.Objects;

/**
 * Sets up an {@link InMemoryDedicatedCloud} directly, as if earlier runs (or other people) had
 * already acted: no call is made, no fault applies, nothing is counted. Thread-safe.
 */
public final class CloudArranger {
  private final InMemoryDedicatedCloud cloud;

  CloudArranger(InMemoryDedicatedCloud cloud) {
    this.cloud = cloud;
  }

  /**
   * Creates an instance that is already {@code active}, with every unit {@code reserved}.
   *
   * @param request what the instance was created with
   * @return the instance
   */
  public ServiceInstance activeInstance(InstanceRequest request) {
    return cloud.arrangeInstance(Objects.requireNonNull(request, "request"), true);
  }

  /**
   * Creates an instance that is still {@code provisioning} (it becomes active after the cloud's
   * configured polls or time).
   *
   * @param request what the instance was created with
   * @return the instance
   */
  public ServiceInstance provisioningInstance(InstanceRequest request) {
    return cloud.arrangeInstance(Objects.requireNonNull(request, "request"), false);
  }
}
