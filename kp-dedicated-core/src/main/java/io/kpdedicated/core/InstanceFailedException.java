package io.kpdedicated.core;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.model.InstanceState;
import java.util.Objects;

/**
 * The instance is in a state from which it will not become {@code active} by waiting
 * ({@code failed}, {@code removed}, {@code pending_reclamation}, {@code inactive}). Not retryable.
 */
public class InstanceFailedException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  /** The instance id. */
  private final String instanceId;
  /** The state. */
  private final InstanceState state;
  /** The state as the service reported it. */
  private final String rawState;

  /**
   * Creates an exception.
   *
   * @param instanceId the instance id
   * @param state the state
   * @param rawState the state as the service reported it
   * @param lastOperation the Resource Controller's last operation description, or {@code null}
   */
  public InstanceFailedException(String instanceId, InstanceState state, String rawState,
      String lastOperation) {
    super("instance " + instanceId + " is '" + rawState + "' and will not become active"
            + (lastOperation == null || lastOperation.isBlank() ? "" : " (last operation: "
                + lastOperation + ")"),
        null, remediation(state), false, null);
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    this.state = Objects.requireNonNull(state, "state");
    this.rawState = Objects.requireNonNull(rawState, "rawState");
  }

  private static String remediation(InstanceState state) {
    switch (state) {
      case FAILED:
        return "Provisioning failed. Delete the instance in the Resource Controller (or use another"
            + " name) and run again; contact IBM support with the instance id if it repeats.";
      case INACTIVE:
        return "The instance is disabled. Re-enable it in the Resource Controller, then run again.";
      default:
        return "The instance was deleted. Restore it within the reclamation period, or choose"
            + " another instance name and run again.";
    }
  }

  /** {@return the instance id} */
  public String instanceId() {
    return instanceId;
  }

  /** {@return the state} */
  public InstanceState state() {
    return state;
  }

  /** {@return the state as the service reported it} */
  public String rawState() {
    return rawState;
  }
}
