package io.kpdedicated.nativehsm;

import io.kpdedicated.core.spi.FailureKind;
import io.kpdedicated.core.spi.Operation;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;

/**
 * The one place where failures of IBM's library become the core's typed failures: a
 * {@link NativeHsmException}'s status family and code decide the {@link FailureKind}, whether a
 * retry can help (as {@link StatusCode#retryable()} says) and the remediation. Stateless.
 */
final class NativeFailures {
  private NativeFailures() {}

  /**
   * Maps a failed library call.
   *
   * @param operation the SPI operation that made the call
   * @param e the library's failure
   * @return the core's exception, with the library's code as service code
   */
  static RuntimeException map(Operation operation, NativeHsmException e) {
    StatusCode status = e.status().orElse(null);
    FailureKind kind = status == null ? FailureKind.CONNECTION : kindOf(status);
    if (kind == FailureKind.CONNECTION || kind == FailureKind.TIMEOUT) {
      return new TransportException(operation, kind, e.unitId().orElse(null), e.getMessage(),
          e.remediation().orElse(null), e.retryable(), e);
    }
    return ServiceException.builder(operation, kind, e.getMessage())
        .unitId(e.unitId().orElse(null))
        .serviceCode(e.code().orElse(null))
        .retryable(e.retryable())
        .remediation(e.remediation().orElse(null))
        .cause(e)
        .build();
  }

  /**
   * Maps an answer the SDK does not understand.
   *
   * @param operation the SPI operation
   * @param e the failure
   * @return the core's exception
   */
  static TransportException map(Operation operation, UnexpectedAnswerException e) {
    return new TransportException(operation, FailureKind.INVALID_ANSWER, e.unitId().orElse(null),
        e.getMessage(), e.remediation().orElse(null), e.retryable(), e);
  }

  /**
   * Returns the kind of failure a status stands for.
   *
   * @param status a status other than success
   * @return the kind
   */
  static FailureKind kindOf(StatusCode status) {
    long v = status.value();
    if (v == 0xB1B39FC5L) {
      return FailureKind.WRONG_STATE; // claim first
    }
    if (v == 0xB1B39FC4L) {
      return FailureKind.WRONG_STATE;
    }
    if (v == 0xB1B39DD0L || v == 0xB1B39DD1L || v == 0xC7000C00L) {
      return FailureKind.NOT_FOUND;
    }
    if (v == 0xB1B3C350L) {
      return FailureKind.INTERNAL;
    }
    if (v == 0xB1B39CA4L) {
      return FailureKind.NOT_AUTHORIZED;
    }
    if (v == 0xC7000C01L) {
      return FailureKind.ALREADY_EXISTS;
    }
    if (v == 0xC7000101L) {
      return FailureKind.TIMEOUT;
    }
    if (v == 0xC7000602L) {
      return FailureKind.CONNECTION;
    }
    switch (status.family()) {
      case CONNECTION:
        return FailureKind.CONNECTION;
      case IAM_TOKEN:
        return FailureKind.NOT_AUTHORIZED;
      case AUTHENTICATION:
        // The session's admin key is not the unit's: claimed by another administrator.
        return v == 0xC7000300L || v == 0xC7000306L ? FailureKind.NOT_ADMIN
            : FailureKind.NOT_AUTHORIZED;
      case HTTP:
        return status.retryable() ? FailureKind.CONNECTION : FailureKind.UNKNOWN;
      case KEY_FILE:
      case BASIC:
      case USER:
        return FailureKind.INVALID_REQUEST;
      case SERVICE:
        return FailureKind.INVALID_REQUEST;
      default:
        return FailureKind.UNKNOWN;
    }
  }
}
