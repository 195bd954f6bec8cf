package io.kpdedicated.core;

/**
 * Receives progress events of {@link DedicatedInitializer#run()} and {@link DedicatedInitializer#plan()}.
 *
 * <p>Events are delivered one at a time (never concurrently), but possibly from different threads:
 * per-unit work runs on a pool. An implementation that throws does not break the run: the exception
 * is logged and the run goes on. Keep implementations quick; they delay the work while they run.
 */
@FunctionalInterface
public interface InitializationListener {

  /** A listener that ignores every event. */
  InitializationListener NONE = event -> { };

  /**
   * Receives one event.
   *
   * @param event the event, never null
   */
  void onEvent(InitializationEvent event);
}
