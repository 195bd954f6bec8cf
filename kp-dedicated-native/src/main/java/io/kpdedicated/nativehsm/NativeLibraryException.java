package io.kpdedicated.nativehsm;

import io.kpdedicated.KpDedicatedException;
import java.util.List;
import java.util.Objects;

/**
 * IBM's HSM library could not be found or loaded. The message names every place tried, the
 * platform, {@value NativeLibraryLocator#LIB_PATH_VARIABLE} and, on Linux, how to start
 * {@code java} with {@code LD_PRELOAD}. Not retryable: the same process finds the same files.
 */
public class NativeLibraryException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  /** Why the library is not available. */
  public enum Reason {
    /** IBM ships no library for this operating system and architecture. */
    UNSUPPORTED_PLATFORM,
    /** No candidate file exists. */
    NOT_FOUND,
    /** A file was found but the operating system refused to load it. */
    LOAD_FAILED
  }

  /** Why the library is not available. */
  private final Reason reason;
  /** Every place tried, in order, as shown in the message. */
  private final List<String> placesTried;

  /**
   * Creates an exception.
   *
   * @param reason why the library is not available
   * @param message the full message (places tried, platform, what to do)
   * @param remediation what to do next
   * @param placesTried every place tried, in order (copied)
   * @param cause the loader's error, or null
   */
  public NativeLibraryException(Reason reason, String message, String remediation,
      List<String> placesTried, Throwable cause) {
    super(message, null, remediation, false, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.placesTried = List.copyOf(placesTried);
  }

  /** {@return why the library is not available} */
  public Reason reason() {
    return reason;
  }

  /** {@return every place tried, in order, as shown in the message} */
  public List<String> placesTried() {
    return placesTried;
  }
}
