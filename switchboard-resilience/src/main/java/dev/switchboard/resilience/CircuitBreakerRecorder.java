package dev.switchboard.resilience;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Records call outcomes to the phase that admitted them, decides the transitions they cause, and
 * reads the metrics. Holds nothing but settings read from the config, so all threads share it.
 */
final class CircuitBreakerRecorder {

  private final CircuitBreakerImpl breaker;
  private final Predicate<Object> failureResult;
  private final ExceptionHandling handling;
  private final long slowNanos;
  private final int consecutiveThreshold;
  private final double failureRateThreshold;
  private final double slowRateThreshold;
  private final int minimumClosedCalls;
  private final int trials;
  private final long waitNanos;
  private final double jitter;

  CircuitBreakerRecorder(CircuitBreakerImpl breaker, CircuitBreakerConfig config) {
    this.breaker = breaker;
    this.failureResult = config.failureResult();
    this.handling = config.exceptionHandling();
    this.slowNanos = config.slowCallDurationThreshold().toNanos();
    this.consecutiveThreshold = config.consecutiveFailureThreshold();
    this.failureRateThreshold = config.failureRateThreshold();
    this.slowRateThreshold = config.slowCallRateThreshold();
    this.minimumClosedCalls =
        config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
            ? Math.min(config.minimumNumberOfCalls(), config.slidingWindowSize())
            : config.minimumNumberOfCalls();
    this.trials = config.permittedCallsInHalfOpenState();
    this.waitNanos = config.waitDurationInOpenState().toNanos();
    this.jitter = config.openWaitJitter();
  }

  /**
   * Calls the window needs before rates count: every trial in HALF_OPEN, else the (capped) minimum.
   */
  int minimumCalls(CircuitBreakerPhase p) {
    return p.state == CircuitState.HALF_OPEN ? trials : minimumClosedCalls;
  }

  void returned(CircuitBreakerPhase p, long start, long end, Object result) {
    record(p, start, end, failureResult.test(result), null);
  }

  void thrown(CircuitBreakerPhase p, long start, long end, Throwable error) {
    record(p, start, end, handling.handles(error), error);
  }

  /** {@code error} is null for a returned result. */
  private void record(
      CircuitBreakerPhase p, long start, long end, boolean failed, Throwable error) {
    long duration = end - start;
    EventPublisher<CircuitBreakerEvent> events = breaker.events();
    if (events.isObserved()) {
      String name = breaker.name();
      events.emit(
          () ->
              failed
                  ? new CircuitBreakerEvent.Failure(name, end, duration, Optional.ofNullable(error))
                  : new CircuitBreakerEvent.Success(name, end, duration));
    }
    boolean tripped =
        switch (p.state) {
          case CLOSED -> recordClosed(p, end, failed, duration);
          case HALF_OPEN -> recordTrial(p, end, failed, duration);
          case DISABLED -> {
            p.window.record(outcome(failed, duration), end);
            yield false;
          }
          case OPEN, FORCED_OPEN -> false;
        };
    if (failed) {
      FailureReason reason = tripped ? FailureReason.THRESHOLD_EXCEEDED : FailureReason.CALL_FAILED;
      // Tells the on-exception callback; the caller still sees the call's own exception or result.
      handling.report(context(reason, Optional.ofNullable(error), breaker.metrics()));
    }
  }

  private boolean recordClosed(CircuitBreakerPhase p, long end, boolean failed, long duration) {
    long counts = p.window.record(outcome(failed, duration), end);
    int inRow = 0;
    if (consecutiveThreshold > 0) {
      if (failed) {
        inRow = p.consecutiveFailures.incrementAndGet();
      } else if (p.consecutiveFailures.get() != 0) {
        p.consecutiveFailures.set(0);
      }
    }
    if (consecutiveThreshold > 0 && inRow >= consecutiveThreshold
        || exceeds(counts, minimumClosedCalls)) {
      return breaker.transition(p, opened(p.window, end));
    }
    return false;
  }

  private boolean recordTrial(CircuitBreakerPhase p, long end, boolean failed, long duration) {
    long counts = p.window.record(outcome(failed, duration), end);
    if (SlidingWindow.calls(counts) < trials) {
      return false;
    }
    if (exceeds(counts, trials)) {
      return breaker.transition(p, opened(p.window, end));
    }
    breaker.transition(p, CircuitBreakerPhase.closed(CircuitState.CLOSED, breaker.config(), end));
    return false;
  }

  /** An OPEN phase entered at {@code now}, staying open for the jittered wait. */
  CircuitBreakerPhase opened(SlidingWindow tripped, long now) {
    long wait = waitNanos;
    if (jitter > 0) {
      wait = (long) (wait * (1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1)));
    }
    return CircuitBreakerPhase.open(tripped, now, wait);
  }

  CircuitBreakerMetrics metrics(CircuitBreakerPhase p, long now, long notPermitted) {
    long counts = p.window.counts(now);
    int calls = SlidingWindow.calls(counts);
    int failed = SlidingWindow.failed(counts);
    int slow = SlidingWindow.slow(counts);
    boolean rated = calls > 0 && calls >= minimumCalls(p);
    return new CircuitBreakerMetrics(
        p.state,
        rated ? OptionalDouble.of(failed * 100.0 / calls) : OptionalDouble.empty(),
        rated ? OptionalDouble.of(slow * 100.0 / calls) : OptionalDouble.empty(),
        calls,
        failed,
        slow,
        notPermitted);
  }

  private int outcome(boolean failed, long duration) {
    return (failed ? SlidingWindow.FAILED : 0) | (duration >= slowNanos ? SlidingWindow.SLOW : 0);
  }

  private boolean exceeds(long counts, int minimum) {
    int calls = SlidingWindow.calls(counts);
    return calls >= minimum
        && calls > 0
        && (SlidingWindow.failed(counts) * 100.0 >= failureRateThreshold * calls
            || SlidingWindow.slow(counts) * 100.0 >= slowRateThreshold * calls);
  }

  ExceptionContext context(
      FailureReason reason, Optional<Throwable> cause, CircuitBreakerMetrics m) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("state", m.state());
    metadata.put("bufferedCalls", m.bufferedCalls());
    metadata.put("failedCalls", m.failedCalls());
    metadata.put("slowCalls", m.slowCalls());
    metadata.put("notPermittedCalls", m.notPermittedCalls());
    m.failureRate().ifPresent(rate -> metadata.put("failureRate", rate));
    m.slowCallRate().ifPresent(rate -> metadata.put("slowCallRate", rate));
    return new ExceptionContext(
        breaker.name(), PatternType.CIRCUIT_BREAKER, reason, cause, metadata);
  }
}
