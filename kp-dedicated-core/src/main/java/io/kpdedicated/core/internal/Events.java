package io.kpdedicated.core.internal;

import io.kpdedicated.core.InitializationEvent;
import io.kpdedicated.core.InitializationListener;
import java.util.Objects;

/**
 * Delivers events to the user's listener one at a time; a listener that throws is logged and
 * otherwise ignored, so it can never break a run. Thread-safe.
 */
final class Events {
  private static final System.Logger LOG = System.getLogger(Events.class.getName());

  private final InitializationListener listener;
  private final Object lock = new Object();
  private boolean listenerFailed;

  /**
   * Creates a publisher.
   *
   * @param listener the user's listener
   */
  public Events(InitializationListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Publishes an event.
   *
   * @param event the event
   */
  public void publish(InitializationEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (lock) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        // The first failure with its stack trace; later ones quietly, so a broken listener
        // cannot flood the log.
        System.Logger.Level level = listenerFailed ? System.Logger.Level.DEBUG
            : System.Logger.Level.WARNING;
        listenerFailed = true;
        LOG.log(level, () -> "the initialization listener threw " + e.getClass().getName()
            + " on " + event.getClass().getSimpleName() + "; the run goes on", e);
      }
    }
  }
}
