package io.kpdedicated.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsTest {

  @Test
  void aThrowingListenerDoesNotBreakPublishing() {
    List<InitializationEvent> seen = new ArrayList<>();
    Events events = new Events(e -> {
      seen.add(e);
      throw new IllegalStateException("listener bug");
    });

    assertThatCode(() -> {
      events.publish(new InitializationEvent.StepStarted(Step.CLAIM, "u1"));
      events.publish(new InitializationEvent.StepStarted(Step.VERIFY, "u1"));
    }).doesNotThrowAnyException();
    assertThat(seen).hasSize(2);
  }
}
