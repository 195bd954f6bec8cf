package io.kpdedicated.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures what the module logs (its {@code System.Logger} goes to java.util.logging here), at
 * every level, until closed; closing restores the logger's level.
 */
final class LogCapture implements AutoCloseable {
  private final Logger jul = Logger.getLogger("io.kpdedicated.http");
  private final Level before;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  LogCapture() {
    before = jul.getLevel();
    jul.setLevel(Level.ALL);
    jul.addHandler(handler);
  }

  /** The records so far, in order. */
  List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** The records so far as the default formatter writes them (message with its parameters). */
  List<String> lines() {
    SimpleFormatter fmt = new SimpleFormatter();
    return records.stream().map(fmt::format).toList();
  }

  @Override
  public void close() {
    jul.removeHandler(handler);
    jul.setLevel(before);
  }
}
