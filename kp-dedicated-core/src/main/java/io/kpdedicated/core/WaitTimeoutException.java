package io.kpdedicated.core;

import io.kpdedicated.KpDedicatedException;
import java.time.Duration;
import java.util.Objects;

/**
 * Waiting for something (an instance to become {@code active}, a unit to leave
 * {@code maintenance}) took longer than the {@link WaitPolicy#timeout()}. Retryable: running again
 * continues the wait.
 */
public class WaitTimeoutException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  /** What was waited for. */
  private final String subject;
  /** How many polls were made. */
  private final int attempts;
  /** How long the wait took. */
  private final transient Duration elapsed;
  /** The last state observed, or {@code null}. */
  private final String lastState;

  /**
   * Creates an exception.
   *
   * @param subject what was waited for, e.g. {@code instance kpd-1 to become active}
   * @param unitId the unit concerned, or {@code null}
   * @param attempts how many polls were made
   * @param elapsed how long the wait took
   * @param lastState the last state observed (as reported), or {@code null}
   */
  public WaitTimeoutException(String subject, String unitId, int attempts, Duration elapsed,
      String lastState) {
    this(subject, unitId, attempts, elapsed, lastState, null);
  }

  /**
   * Creates an exception whose last poll failed.
   *
   * @param subject what was waited for, e.g. {@code instance kpd-1 to become active}
   * @param unitId the unit concerned, or {@code null}
   * @param attempts how many polls were made
   * @param elapsed how long the wait took
   * @param lastState the last state observed (as reported), or {@code null}
   * @param lastFailure the failure of the last poll, or {@code null} if it answered
   */
  public WaitTimeoutException(String subject, String unitId, int attempts, Duration elapsed,
      String lastState, Throwable lastFailure) {
    super("timed out waiting for " + subject + " after " + attempts + " poll"
            + (attempts == 1 ? "" : "s") + " in " + Objects.requireNonNull(elapsed, "elapsed")
            + (lastState == null ? "" : "; last state '" + lastState + "'"),
        unitId,
        "Run again to keep waiting (nothing is lost), or raise the timeout of the wait policy.",
        true, lastFailure);
    this.subject = Objects.requireNonNull(subject, "subject");
    this.attempts = attempts;
    this.elapsed = elapsed;
    this.lastState = lastState;
  }

  /** {@return what was waited for} */
  public String subject() {
    return subject;
  }

  /** {@return how many polls were made} */
  public int attempts() {
    return attempts;
  }

  /** {@return how long the wait took} */
  public Duration elapsed() {
    return elapsed;
  }

  /** {@return the last state observed, or {@code null}} */
  public String lastState() {
    return lastState;
  }
}
