package io.kpdedicated.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A token provider that hands out tok-1, tok-2, ... and records invalidations. Thread-safe. */
final class CountingTokens implements TokenProvider {
  private final AtomicInteger generation = new AtomicInteger(1);
  final List<String> invalidated = new CopyOnWriteArrayList<>();

  @Override
  public String token() {
    return "tok-" + generation.get();
  }

  @Override
  public void invalidate(String rejectedToken) {
    invalidated.add(rejectedToken);
    generation.compareAndSet(Integer.parseInt(rejectedToken.substring(4)), generation.get() + 1);
  }
}
