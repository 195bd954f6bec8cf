package io.kpdedicated.testkit;

import java.util.Objects;

/**
 * The cause of the {@code TransportException} an injected {@link Fault.MalformedAnswer} surfaces as
 * in memory; it carries the fault so that the loopback emulator can write the broken answer over
 * HTTP instead of serving the call.
 */
public final class InjectedMalformedAnswer extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The fault; records are serializable, but this exception is never serialized. */
  private final transient Fault.MalformedAnswer answer;

  /**
   * Creates the cause.
   *
   * @param answer the injected fault
   */
  InjectedMalformedAnswer(Fault.MalformedAnswer answer) {
    super("injected malformed answer (" + answer.body() + ")", null, false, false);
    this.answer = Objects.requireNonNull(answer, "answer");
  }

  /**
   * Returns the injected fault.
   *
   * @return the fault, never null
   */
  public Fault.MalformedAnswer answer() {
    return answer;
  }
}
