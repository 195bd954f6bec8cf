package io.kpdedicated.core;

import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.FailureKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The life of a crypto unit, in one place: for every wire state, what the unit holds, what the
 * service does when a call changes it (the <em>transition</em>, service side), and what a client
 * still has to do to bring it to {@code kms-initialized} (the <em>decision</em>, client side).
 *
 * <p>The initializer, its dry run ({@code plan()}), the in-memory cloud and the emulator all ask
 * this class; none keeps its own copy of the state machine. The table (IBM's documented states):
 *
 * <table>
 *   <caption>the unit lifecycle</caption>
 *   <tr><th>state</th><th>claimed</th><th>master key</th><th>crypto user</th><th>client still does</th></tr>
 *   <tr><td>available, reserved</td><td>no</td><td>no</td><td>no</td><td>claim, import, add user, verify</td></tr>
 *   <tr><td>claimed</td><td>yes</td><td>no</td><td>no</td><td>import, add user, verify</td></tr>
 *   <tr><td>initialized</td><td>yes</td><td>yes</td><td>no</td><td>verify, add user</td></tr>
 *   <tr><td>kms-authorized</td><td>yes</td><td>no</td><td>yes</td><td>import, verify (no second user)</td></tr>
 *   <tr><td>kms-initialized</td><td>yes</td><td>yes</td><td>yes</td><td>verify</td></tr>
 *   <tr><td>maintenance</td><td colspan="3">unknown</td><td>wait, then decide again</td></tr>
 *   <tr><td>marked-for-del, zeroized, unknown</td><td colspan="3">unknown</td><td>fail the unit, saying what to do</td></tr>
 * </table>
 *
 * <p>{@code zeroized} is decided once, here: a unit that reports it was wiped but is not yet back
 * in {@code reserved}; the service accepts no call on it but another zeroize, and a client waits
 * for {@code reserved} (it fails the unit with that advice). {@code marked-for-del} accepts no call
 * at all. Stateless and thread-safe.
 */
public final class UnitLifecycle {
  private UnitLifecycle() {}

  /** A call that changes a unit, as the service sees it. */
  public enum Change {
    /** Install an administrator key. */
    CLAIM,
    /** Load a master key (imported or generated in the unit). */
    LOAD_MASTER_KEY,
    /** Add the {@code kmsCryptoUser}. */
    ADD_CRYPTO_USER,
    /** Wipe the unit back to {@code reserved}. */
    ZEROIZE
  }

  /**
   * What a unit holds.
   *
   * @param claimed whether an administrator key is installed
   * @param masterKey whether a master key is loaded
   * @param cryptoUser whether the {@code kmsCryptoUser} exists
   */
  public record Content(boolean claimed, boolean masterKey, boolean cryptoUser) {
    /** Nothing: a free unit. */
    public static final Content EMPTY = new Content(false, false, false);
  }

  /** The kind of a client-side decision. */
  public enum Kind {
    /** Run the steps. */
    WORK,
    /** Wait for the unit to leave maintenance, then decide again. */
    WAIT,
    /** The unit cannot be initialized from this state. */
    FAIL
  }

  /**
   * What a client still has to do for one unit.
   *
   * @param kind the kind
   * @param steps the steps to run, in order (WORK only; empty otherwise)
   * @param reason why it waits or fails, with what to do (empty for WORK)
   */
  public record Decision(Kind kind, List<Step> steps, String reason) {
    /**
     * Validates and copies.
     *
     * @param kind the kind
     * @param steps the steps to run, in order (WORK only; empty otherwise)
     * @param reason why it waits or fails, with what to do (empty for WORK)
     */
    public Decision {
      Objects.requireNonNull(kind, "kind");
      steps = List.copyOf(steps);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Why the service refuses a call on a unit.
   *
   * @param kind the failure kind a transport reports
   * @param serviceCode the service's error code for it
   * @param reason what is wrong and what to do
   */
  public record Refusal(FailureKind kind, String serviceCode, String reason) {
    /**
     * Validates the fields.
     *
     * @param kind the failure kind a transport reports
     * @param serviceCode the service's error code for it
     * @param reason what is wrong and what to do
     */
    public Refusal {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(serviceCode, "serviceCode");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * What the service does with a change: the new state, or a refusal.
   *
   * @param to the state after the change, or {@code null} when refused
   * @param refusal why it is refused, or {@code null} when allowed
   */
  public record Transition(UnitState to, Refusal refusal) {
    /**
     * Validates that exactly one of the fields is set.
     *
     * @param to the state after the change, or {@code null} when refused
     * @param refusal why it is refused, or {@code null} when allowed
     */
    public Transition {
      if ((to == null) == (refusal == null)) {
        throw new IllegalArgumentException("a transition has either a new state or a refusal");
      }
    }

    /** {@return whether the service performs the change} */
    public boolean allowed() {
      return to != null;
    }
  }

  private record Row(Content content, Decision special) {}

  /** The table: every wire state, what it holds, or (for the others) the fixed decision. */
  private static final Map<UnitState, Row> TABLE = table();

  private static Map<UnitState, Row> table() {
    Map<UnitState, Row> t = new EnumMap<>(UnitState.class);
    t.put(UnitState.AVAILABLE, new Row(Content.EMPTY, null));
    t.put(UnitState.RESERVED, new Row(Content.EMPTY, null));
    t.put(UnitState.CLAIMED, new Row(new Content(true, false, false), null));
    t.put(UnitState.INITIALIZED, new Row(new Content(true, true, false), null));
    t.put(UnitState.KMS_AUTHORIZED, new Row(new Content(true, false, true), null));
    t.put(UnitState.KMS_INITIALIZED, new Row(new Content(true, true, true), null));
    t.put(UnitState.MAINTENANCE, new Row(null, new Decision(Kind.WAIT, List.of(),
        "the unit is in maintenance; waits for it to end, then does what the unit needs")));
    t.put(UnitState.MARKED_FOR_DEL, new Row(null, new Decision(Kind.FAIL, List.of(),
        "the unit is marked for deletion and cannot be initialized; wait until IBM replaces it"
            + " (a new unit appears in 'reserved'), then run again")));
    t.put(UnitState.ZEROIZED, new Row(null, new Decision(Kind.FAIL, List.of(),
        "the unit was zeroized and is not yet back in 'reserved'; wait until it is, then run"
            + " again")));
    t.put(UnitState.UNKNOWN, new Row(null, new Decision(Kind.FAIL, List.of(), "")));
    return Collections.unmodifiableMap(t);
  }

  /**
   * Returns what a unit in {@code state} holds, when the state says so.
   *
   * @param state the state
   * @return the content, or empty for maintenance, marked-for-del, zeroized and unknown
   */
  public static Optional<Content> contentOf(UnitState state) {
    return Optional.ofNullable(TABLE.get(Objects.requireNonNull(state, "state")).content());
  }

  /**
   * Returns the state the service reports for a unit with this content.
   *
   * @param content what the unit holds
   * @return the state ({@code reserved} for an unclaimed unit)
   */
  public static UnitState stateOf(Content content) {
    Objects.requireNonNull(content, "content");
    if (!content.claimed()) {
      return UnitState.RESERVED;
    }
    for (Map.Entry<UnitState, Row> e : TABLE.entrySet()) {
      if (content.equals(e.getValue().content())) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("no state holds " + content);
  }

  /**
   * Returns whether a unit in {@code state} is known to be claimed (by whichever administrator).
   *
   * @param state the state
   * @return true for claimed, initialized, kms-authorized and kms-initialized
   */
  public static boolean isClaimed(UnitState state) {
    return contentOf(state).map(Content::claimed).orElse(false);
  }

  /**
   * Returns whether a unit in {@code state} is known to hold a master key.
   *
   * @param state the state
   * @return true for initialized and kms-initialized
   */
  public static boolean holdsMasterKey(UnitState state) {
    return contentOf(state).map(Content::masterKey).orElse(false);
  }

  // ---------------------------------------------------------------- client side

  /**
   * Decides what a unit in {@code state} still needs. Every unit is decided on its own (never "the
   * minimum step across units"), so a unit in {@code initialized} still gets its crypto user and a
   * unit in {@code kms-authorized} gets the master key without a second "add user".
   *
   * @param state the unit's state
   * @param rawState the state as the service reported it (for messages), may be null
   * @return the decision
   */
  public static Decision decide(UnitState state, String rawState) {
    Row row = TABLE.get(Objects.requireNonNull(state, "state"));
    if (row.content() != null) {
      return new Decision(Kind.WORK, stepsFor(row.content()), "");
    }
    if (state == UnitState.UNKNOWN) {
      return new Decision(Kind.FAIL, List.of(), "the unit reports the state '"
          + (rawState == null ? "" : rawState) + "', which this SDK does not know; check the"
          + " unit in the service and upgrade the SDK if the state is new");
    }
    return row.special();
  }

  /** The one rule for the remaining steps: what is missing, then a check of the key. */
  private static List<Step> stepsFor(Content c) {
    List<Step> steps = new ArrayList<>();
    if (c.masterKey()) {
      steps.add(Step.VERIFY); // a loaded key is checked before anything is added to the unit
      if (!c.cryptoUser()) {
        steps.add(Step.ADD_CRYPTO_USER);
      }
      return List.copyOf(steps);
    }
    if (!c.claimed()) {
      steps.add(Step.CLAIM);
    }
    steps.add(Step.IMPORT_MASTER_KEY);
    if (!c.cryptoUser()) {
      steps.add(Step.ADD_CRYPTO_USER);
    }
    steps.add(Step.VERIFY);
    return List.copyOf(steps);
  }

  // ---------------------------------------------------------------- service side

  /**
   * Returns why the service refuses every call on a unit in {@code state}, if it does.
   *
   * @param state the unit's state
   * @return the refusal for maintenance and marked-for-del, empty otherwise
   */
  public static Optional<Refusal> refusesCalls(UnitState state) {
    Objects.requireNonNull(state, "state");
    if (state == UnitState.MAINTENANCE) {
      return Optional.of(new Refusal(FailureKind.MAINTENANCE, "CRYPTO_UNIT_IN_MAINTENANCE",
          "the crypto unit is in maintenance (at most one unit at a time); retry later"));
    }
    if (state == UnitState.MARKED_FOR_DEL) {
      return Optional.of(new Refusal(FailureKind.WRONG_STATE, "CRYPTO_UNIT_MARKED_FOR_DELETION",
          "the crypto unit is marked for deletion and accepts no more calls"));
    }
    return Optional.empty();
  }

  /**
   * Returns what the service does when {@code change} arrives for a unit in {@code from}.
   *
   * @param from the unit's state
   * @param change the change
   * @return the new state, or the refusal
   */
  public static Transition transition(UnitState from, Change change) {
    Objects.requireNonNull(change, "change");
    Optional<Refusal> closed = refusesCalls(from);
    if (closed.isPresent()) {
      return new Transition(null, closed.get());
    }
    if (change == Change.ZEROIZE) {
      return new Transition(UnitState.RESERVED, null);
    }
    Content c = contentOf(from).orElse(null);
    if (c == null) {
      return refuse(FailureKind.WRONG_STATE, from == UnitState.ZEROIZED
          ? "CRYPTO_UNIT_ZEROIZING" : "CRYPTO_UNIT_STATE_UNKNOWN",
          "the crypto unit is '" + (from.wireValue() == null ? "unknown" : from.wireValue())
              + "' and accepts no change until it is back in 'reserved'");
    }
    switch (change) {
      case CLAIM:
        return c.claimed()
            ? refuse(FailureKind.ALREADY_EXISTS, "CRYPTO_UNIT_ALREADY_CLAIMED",
                "the crypto unit is claimed already; zeroize it first to change its administrator")
            : new Transition(stateOf(new Content(true, c.masterKey(), c.cryptoUser())), null);
      case LOAD_MASTER_KEY:
        if (!c.claimed()) {
          return notClaimed();
        }
        return c.masterKey()
            ? refuse(FailureKind.ALREADY_EXISTS, "MASTER_KEY_ALREADY_LOADED",
                "the crypto unit holds a master key already; zeroize it before loading another")
            : new Transition(stateOf(new Content(true, true, c.cryptoUser())), null);
      case ADD_CRYPTO_USER:
        if (!c.claimed()) {
          return notClaimed();
        }
        return c.cryptoUser()
            ? refuse(FailureKind.ALREADY_EXISTS, "USER_ALREADY_EXISTS",
                "the crypto unit has its kmsCryptoUser already")
            : new Transition(stateOf(new Content(true, c.masterKey(), true)), null);
      default:
        throw new IllegalArgumentException("unknown change " + change);
    }
  }

  private static Transition notClaimed() {
    return refuse(FailureKind.WRONG_STATE, "CRYPTO_UNIT_NOT_CLAIMED",
        "the crypto unit has no administrator yet; claim it first");
  }

  private static Transition refuse(FailureKind kind, String code, String reason) {
    return new Transition(null, new Refusal(kind, code, reason));
  }

  // ---------------------------------------------------------------- documentation

  /**
   * Returns the client-side table as Markdown ({@code | unit state | still to do |}), states with
   * the same decision on one row, in the order of {@link UnitState}. The READMEs hold this table; a
   * test checks that they still match.
   *
   * @return the table, lines ending in {@code \n}
   */
  public static String markdownTable() {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (UnitState state : UnitState.values()) {
      Decision d = decide(state, "");
      String todo = switch (d.kind()) {
        case WORK -> d.steps().stream().map(Step::label).collect(Collectors.joining(", "));
        case WAIT -> "wait and retry later (bounded)";
        case FAIL -> "stop with a clear error for that unit";
      };
      rows.computeIfAbsent(todo, k -> new ArrayList<>())
          .add(state.wireValue() == null ? "unknown" : "`" + state.wireValue() + "`");
    }
    StringBuilder b = new StringBuilder("| unit state | still to do |\n|---|---|\n");
    rows.forEach((todo, states) -> b.append("| ").append(String.join(", ", states)).append(" | ")
        .append(todo).append(" |\n"));
    return b.toString();
  }
}
