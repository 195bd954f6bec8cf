package io.kpdedicated.nativehsm;

import io.kpdedicated.KpDedicatedException;
import java.util.Objects;
import java.util.Optional;

/**
 * IBM's HSM library reported success but its result text is not what the SDK understands: an
 * unknown line in a table, a malformed key check value, an answer that is too long or not UTF-8.
 * Carries the offending line (control characters shown as {@code ?}, at most
 * {@value #MAX_RAW_LINE} characters). Not retryable: the library answers the same way again.
 */
public class UnexpectedAnswerException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  /** The most characters of the offending line kept. */
  public static final int MAX_RAW_LINE = 200;

  /** The call whose answer is not understood. */
  private final NativeCall call;
  /** The offending line (control characters as {@code ?}, shortened), if there is one. */
  private final String rawLine;

  /**
   * Creates an exception.
   *
   * @param call the call whose answer is not understood
   * @param unitId the unit, or null
   * @param problem what is wrong with the answer
   * @param rawLine the offending line, or null
   */
  public UnexpectedAnswerException(NativeCall call, String unitId, String problem,
      String rawLine) {
    super(message(call, unitId, problem, printable(rawLine)), unitId,
        "the library's answer format is not supported by this SDK version: report it with the "
            + "line shown", false, null);
    this.call = Objects.requireNonNull(call, "call");
    this.rawLine = printable(rawLine);
  }

  private static String message(NativeCall call, String unitId, String problem, String raw) {
    Objects.requireNonNull(problem, "problem");
    return "unexpected answer from " + Objects.requireNonNull(call, "call").symbol()
        + (unitId != null ? " on unit " + unitId : "") + ": " + problem
        + (raw != null ? ": \"" + raw + "\"" : "");
  }

  static String printable(String line) {
    if (line == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < line.length() && sb.length() < MAX_RAW_LINE; i++) {
      char c = line.charAt(i);
      sb.append(Character.isISOControl(c) && c != '\t' ? '?' : c);
    }
    if (line.length() > MAX_RAW_LINE) {
      sb.append("...");
    }
    return sb.toString();
  }

  /** {@return the call whose answer is not understood} */
  public NativeCall call() {
    return call;
  }

  /** {@return the offending line (control characters as {@code ?}, shortened), if there is one} */
  public Optional<String> rawLine() {
    return Optional.ofNullable(rawLine);
  }
}
