package io.kpdedicated.core;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.InstanceTarget;
import java.util.Objects;

/**
 * Which Key Protect Dedicated instance to initialize. Immutable values; create them with the static
 * factories.
 */
public sealed interface InstanceSelector {

  /**
   * Reuses the instance with the request's name if one exists, otherwise creates it. Running the
   * initializer again after a crash finds the instance it created before.
   *
   * @param request what to create; its name identifies the instance
   * @return the selector
   * @throws NullPointerException if {@code request} is null
   */
  static InstanceSelector createOrReuse(InstanceRequest request) {
    return new CreateOrReuse(request);
  }

  /**
   * Uses an instance that exists already.
   *
   * @param instanceIdOrGuid the instance id (CRN) or GUID
   * @return the selector
   * @throws NullPointerException if the id is null
   * @throws IllegalArgumentException if it is blank
   */
  static InstanceSelector existing(String instanceIdOrGuid) {
    return new Existing(instanceIdOrGuid);
  }

  /**
   * Talks to a known endpoint and GUID directly, without the Resource Controller (no provisioning,
   * no waiting).
   *
   * @param target the endpoint and GUID
   * @return the selector
   * @throws NullPointerException if {@code target} is null
   */
  static InstanceSelector target(InstanceTarget target) {
    return new Target(target);
  }

  /**
   * Find by name, or create.
   *
   * @param request what to create
   */
  record CreateOrReuse(InstanceRequest request) implements InstanceSelector {
    /**
     * Validates the fields.
     *
     * @param request what to create
     */
    public CreateOrReuse {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * An existing instance.
   *
   * @param instanceIdOrGuid the instance id (CRN) or GUID
   */
  record Existing(String instanceIdOrGuid) implements InstanceSelector {
    /**
     * Validates the fields.
     *
     * @param instanceIdOrGuid the instance id (CRN) or GUID
     */
    public Existing {
      Objects.requireNonNull(instanceIdOrGuid, "instanceIdOrGuid");
      if (instanceIdOrGuid.isBlank()) {
        throw new IllegalArgumentException("instanceIdOrGuid must not be blank");
      }
    }
  }

  /**
   * A known endpoint and GUID.
   *
   * @param target the endpoint and GUID
   */
  record Target(InstanceTarget target) implements InstanceSelector {
    /**
     * Validates the fields.
     *
     * @param target the endpoint and GUID
     */
    public Target {
      Objects.requireNonNull(target, "target");
    }
  }
}
