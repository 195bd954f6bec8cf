package io.kpdedicated.core.fakes;

import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationListener;
import java.util.ArrayList;
import java.util.List;

/** Collects events. Thread-safe. */
public final class RecordingListener implements InitializationListener {
  private final List<InitializationEvent> events = new ArrayList<>();

  @Override
  public synchronized void onEvent(InitializationEvent event) {
    events.add(event);
  }

  public synchronized List<InitializationEvent> events() {
    return List.copyOf(events);
  }

  public synchronized <T extends InitializationEvent> List<T> of(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
