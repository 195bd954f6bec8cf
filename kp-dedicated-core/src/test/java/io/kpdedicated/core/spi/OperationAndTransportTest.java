package io.kpdedicated.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Operations by wire name, and the facts a transport failure carries. */
class OperationAndTransportTest {

  @ParameterizedTest
  @EnumSource(Operation.class)
  void everyOperationReadsBackFromItsWireName(Operation op) {
    assertThat(Operation.fromWireName(op.wireName())).isSameAs(op);
  }

  @Test
  void anUnknownNameIsRefusedListingTheValidOnesInOrder() {
    assertThatThrownBy(() -> Operation.fromWireName("CLAIM"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown operation 'CLAIM'; valid: token, find-instance, create-instance,"
            + " get-instance, list-units, claim, zeroize, crypto-user-metadata, open-session,"
            + " list-users, add-user, list-master-keys, generate-master-key, import-master-key");
    assertThatThrownBy(() -> Operation.fromWireName(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown operation 'null'; valid: token, ");
  }

  @Test
  void aTransportFailureCarriesItsOperationAndKind() {
    IllegalStateException cause = new IllegalStateException("socket");

    TransportException timedOut = new TransportException(Operation.ADD_USER, FailureKind.TIMEOUT,
        "u1", "read timed out", "run again", true, cause);
    TransportException reset = new TransportException(Operation.CLAIM, null, "connection reset",
        null, false, null);

    assertThat(timedOut.operation()).isEqualTo(Operation.ADD_USER);
    assertThat(timedOut.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(timedOut).hasMessage("read timed out").hasCause(cause);
    assertThat(timedOut.unitId()).contains("u1");
    assertThat(timedOut.remediation()).contains("run again");
    assertThat(timedOut.retryable()).isTrue();
    assertThat(reset.operation()).isEqualTo(Operation.CLAIM);
    assertThat(reset.kind()).isEqualTo(FailureKind.CONNECTION);
    assertThat(reset.unitId()).isEmpty();
    assertThat(reset.retryable()).isFalse();
  }
}
