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
    return new CreateOrReuse(request, false);
  }

  /**
   * Like {@link #createOrReuse(InstanceRequest)}, but an instance found with the request's name is
   * reused whatever its number of crypto units (that number can never change after creation);
   * the request's count is used only to create the instance. Its region must still match. The
   * lookup is the initializer's, with its retries and events.
   *
   * @param request what to create; its name identifies the instance
   * @return the selector
   * @throws NullPointerException if {@code request} is null
   */
  static InstanceSelector createOrReuseAnyUnitCount(InstanceRequest request) {
    return new CreateOrReuse(request, true);
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
   * @param anyUnitCount whether an instance found by name is reused whatever its unit count
   *     ({@code false}: a different count is an error)
   */
  record CreateOrReuse(InstanceRequest request, boolean anyUnitCount) implements InstanceSelector {
    /**
     * Validates the fields.
     *
     * @param request what to create
     * @param anyUnitCount whether an instance found by name is reused whatever its unit count
     */
    public CreateOrReuse {
      Objects.requireNonNull(request, "request");
    }

    /**
     * Find by name (with the requested unit count), or create.
     *
     * @param request what to create
     */
    public CreateOrReuse(InstanceRequest request) {
      this(request, false);
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
