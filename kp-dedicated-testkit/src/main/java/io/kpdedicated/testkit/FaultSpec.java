package io.kpdedicated.testkit;

import io.kpdedicated.core.spi.Operation;
import java.time.Duration;
import java.util.Objects;

/**
 * A fault rule being described: choose the unit and the count, then an action, which adds the rule
 * to the queue and returns the {@link FaultInjector} for more. By default a rule matches any unit
 * and affects one call. Not thread-safe; use it in one statement.
 */
public final class FaultSpec {
  private final FaultInjector injector;
  private final Operation operation;
  private UnitRef unit = UnitRef.any();
  private int times = 1;

  FaultSpec(FaultInjector injector, Operation operation) {
    this.injector = injector;
    this.operation = operation;
  }

  /**
   * Matches only calls for the unit with this id.
   *
   * @param unitId the unit id
   * @return this spec
   */
  public FaultSpec unit(String unitId) {
    this.unit = UnitRef.id(unitId);
    return this;
  }

  /**
   * Matches only calls for the unit at this 0-based position of its instance's unit list.
   *
   * @param index the position
   * @return this spec
   */
  public FaultSpec unitIndex(int index) {
    this.unit = UnitRef.index(index);
    return this;
  }

  /**
   * Matches calls for the given unit reference.
   *
   * @param ref the reference
   * @return this spec
   */
  public FaultSpec unit(UnitRef ref) {
    this.unit = Objects.requireNonNull(ref, "ref");
    return this;
  }

  /**
   * Matches calls for any unit (the default).
   *
   * @return this spec
   */
  public FaultSpec anyUnit() {
    this.unit = UnitRef.any();
    return this;
  }

  /**
   * Affects the next {@code count} matching calls (default 1).
   *
   * @param count 1 or more
   * @return this spec
   */
  public FaultSpec times(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("times must be 1 or more, got " + count);
    }
    this.times = count;
    return this;
  }

  /**
   * Affects every matching call until the queue is cleared.
   *
   * @return this spec
   */
  public FaultSpec always() {
    this.times = FaultRule.FOREVER;
    return this;
  }

  /**
   * Fails the calls with an error answer.
   *
   * @param status HTTP-like status, 400..599 (429 and 5xx are retryable)
   * @param serviceCode the service's error code
   * @param message the message
   * @return the injector
   */
  public FaultInjector error(int status, String serviceCode, String message) {
    return add(new Fault.ErrorStatus(status, serviceCode, message, null));
  }

  /**
   * Fails the calls with an error answer that carries a {@code Retry-After} delay.
   *
   * @param status HTTP-like status, 400..599
   * @param serviceCode the service's error code
   * @param message the message
   * @param retryAfter the delay the service asks for
   * @return the injector
   */
  public FaultInjector error(int status, String serviceCode, String message, Duration retryAfter) {
    return add(new Fault.ErrorStatus(status, serviceCode, message,
        Objects.requireNonNull(retryAfter, "retryAfter")));
  }

  /**
   * Drops the connection before the service sees the calls (retryable transport failure).
   *
   * @return the injector
   */
  public FaultInjector dropConnection() {
    return add(new Fault.ConnectionDrop());
  }

  /**
   * Lets the service perform the calls, then drops the connection before the answer.
   *
   * @return the injector
   */
  public FaultInjector loseResponse() {
    return add(new Fault.ResponseLost());
  }

  /**
   * Puts the matched unit in maintenance for the calls (needs a specific unit).
   *
   * @return the injector
   */
  public FaultInjector maintenance() {
    return add(new Fault.Maintenance());
  }

  /**
   * Delays the calls, then lets them proceed.
   *
   * @param delay how long
   * @return the injector
   */
  public FaultInjector latency(Duration delay) {
    return add(new Fault.Latency(delay));
  }

  /**
   * Ends the rule with Envoy's plain-text {@code 503 no healthy upstream} (Content-Type
   * {@code text/plain}), as the gateway answers when the service behind it is down. Retryable.
   *
   * @return the injector
   * @throws IllegalArgumentException if the rule can never fire
   */
  public FaultInjector noHealthyUpstream() {
    return add(Fault.GatewayAnswer.NO_HEALTHY_UPSTREAM);
  }

  /**
   * Ends the rule with a gateway's HTML error page (for example 502 or 504).
   *
   * @param status the HTTP status, 400 to 599
   * @return the injector
   * @throws IllegalArgumentException if the rule can never fire or the status is out of range
   */
  public FaultInjector gatewayPage(int status) {
    return add(Fault.GatewayAnswer.htmlPage(status));
  }

  /**
   * Ends the rule with any non-JSON gateway answer.
   *
   * @param status the HTTP status, 400 to 599
   * @param contentType the media type, not JSON
   * @param body the body, at most 4096 characters
   * @return the injector
   * @throws IllegalArgumentException if the rule can never fire or the answer is invalid
   */
  public FaultInjector gatewayAnswer(int status, String contentType, String body) {
    return add(new Fault.GatewayAnswer(status, contentType, body));
  }

  /**
   * Ends the rule with a broken {@code 200} answer instead of serving the calls, as from a
   * misbehaving proxy: over HTTP the emulator writes the body {@code body} names; in memory the
   * call fails as the HTTP transport fails on such an answer (a retryable transport failure of kind
   * {@code INVALID_ANSWER}).
   *
   * @param body one of {@link Fault.MalformedAnswer#BODIES} ({@code truncated}, {@code wrong-types},
   *     {@code html}, {@code empty}, {@code huge})
   * @return the injector
   * @throws IllegalArgumentException if the rule can never fire or the body is unknown
   */
  public FaultInjector malformedAnswer(String body) {
    return add(new Fault.MalformedAnswer(body));
  }

  private FaultInjector add(Fault fault) {
    return injector.add(new FaultRule(operation, unit, fault, times));
  }
}
