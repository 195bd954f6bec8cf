package io.kpdedicated.testkit;

import java.util.Objects;

/**
 * The cause of the {@code HttpServiceException} an injected {@link Fault.GatewayAnswer} surfaces
 * as in memory; it carries the answer so that the loopback emulator can write it as it is
 * (content type and body) instead of a Key Protect JSON error.
 */
public final class InjectedGatewayAnswer extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The answer; records are serializable, but this exception is never serialized. */
  private final transient Fault.GatewayAnswer answer;

  InjectedGatewayAnswer(Fault.GatewayAnswer answer) {
    super("injected gateway answer " + answer.status() + " " + answer.contentType(), null, false,
        false);
    this.answer = Objects.requireNonNull(answer, "answer");
  }

  /** {@return the injected answer} */
  public Fault.GatewayAnswer answer() {
    return answer;
  }
}
