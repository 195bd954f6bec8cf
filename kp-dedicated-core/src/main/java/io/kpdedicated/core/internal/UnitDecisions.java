package io.kpdedicated.core.internal;

import io.kpdedicated.core.Step;
import io.kpdedicated.core.model.UnitState;
import java.util.List;
import java.util.Objects;

/**
 * What a crypto unit still needs, by its state: the reconciler's decision table. Pure and
 * stateless.
 *
 * <table>
 *   <caption>unit state to remaining steps</caption>
 *   <tr><th>state</th><th>steps</th></tr>
 *   <tr><td>available, reserved</td><td>claim, import master key, add crypto user, verify</td></tr>
 *   <tr><td>claimed</td><td>import master key, add crypto user, verify</td></tr>
 *   <tr><td>initialized</td><td>verify, add crypto user</td></tr>
 *   <tr><td>kms-authorized</td><td>import master key, verify (the crypto user exists)</td></tr>
 *   <tr><td>kms-initialized</td><td>verify</td></tr>
 *   <tr><td>maintenance</td><td>wait, then decide again</td></tr>
 *   <tr><td>marked-for-del, zeroized, unknown</td><td>fail the unit with a clear error</td></tr>
 * </table>
 *
 * <p>Unlike a "minimum step across units" resume, every unit is decided on its own, so a unit in
 * {@code initialized} still gets its crypto user and a unit in {@code kms-authorized} gets the
 * master key without a second "add user".
 */
public final class UnitDecisions {
  private UnitDecisions() {}

  /** The kind of decision. */
  public enum Kind {
    /** Run the steps. */
    WORK,
    /** Wait for the unit to leave maintenance, then decide again. */
    WAIT,
    /** The unit cannot be initialized from this state. */
    FAIL
  }

  /**
   * A decision for one unit.
   *
   * @param kind the kind
   * @param steps the steps to run (WORK only; empty otherwise)
   * @param reason a remark: why it waits or fails, with what to do (empty for WORK)
   */
  public record Decision(Kind kind, List<Step> steps, String reason) {
    /** Validates and copies. */
    public Decision {
      Objects.requireNonNull(kind, "kind");
      steps = List.copyOf(steps);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Decides what a unit in {@code state} still needs.
   *
   * @param state the unit's state
   * @param rawState the state as the service reported it (for messages)
   * @return the decision
   */
  public static Decision decide(UnitState state, String rawState) {
    Objects.requireNonNull(state, "state");
    switch (state) {
      case AVAILABLE:
      case RESERVED:
        return work(Step.CLAIM, Step.IMPORT_MASTER_KEY, Step.ADD_CRYPTO_USER, Step.VERIFY);
      case CLAIMED:
        return work(Step.IMPORT_MASTER_KEY, Step.ADD_CRYPTO_USER, Step.VERIFY);
      case INITIALIZED:
        return work(Step.VERIFY, Step.ADD_CRYPTO_USER);
      case KMS_AUTHORIZED:
        return work(Step.IMPORT_MASTER_KEY, Step.VERIFY);
      case KMS_INITIALIZED:
        return work(Step.VERIFY);
      case MAINTENANCE:
        return new Decision(Kind.WAIT, List.of(),
            "the unit is in maintenance; waits for it to end, then does what the unit needs");
      case MARKED_FOR_DEL:
        return new Decision(Kind.FAIL, List.of(), "the unit is marked for deletion and cannot be"
            + " initialized; wait until IBM replaces it (a new unit appears in 'reserved'), then"
            + " run again");
      case ZEROIZED:
        return new Decision(Kind.FAIL, List.of(), "the unit was zeroized and is not yet back in"
            + " 'reserved'; wait until it is, then run again");
      default:
        return new Decision(Kind.FAIL, List.of(), "the unit reports the state '"
            + (rawState == null ? "" : rawState) + "', which this SDK does not know; check the"
            + " unit in the service and upgrade the SDK if the state is new");
    }
  }

  private static Decision work(Step... steps) {
    return new Decision(Kind.WORK, List.of(steps), "");
  }
}
