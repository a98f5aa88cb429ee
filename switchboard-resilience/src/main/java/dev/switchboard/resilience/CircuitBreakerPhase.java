package dev.switchboard.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stay in one state. Every transition installs a new phase, so a result reported to an old
 * phase (by a call admitted before the transition) can never move the circuit: only the phase that
 * is current can be replaced.
 */
final class CircuitBreakerPhase {

  final CircuitState state;

  /**
   * Closed: recent calls; open: the window that tripped; half-open: the trial calls; otherwise a
   * fresh one.
   */
  final SlidingWindow window;

  final long enteredNanos;

  /** Open only: how long to stay open (the jittered wait). */
  final long openNanos;

  /** Closed only: failures in a row, reset by a success. */
  final AtomicInteger consecutiveFailures = new AtomicInteger();

  /** Half-open only: trial calls still to admit. */
  final AtomicInteger trialPermits;

  private CircuitBreakerPhase(
      CircuitState state,
      SlidingWindow window,
      long enteredNanos,
      long openNanos,
      int trialPermits) {
    this.state = state;
    this.window = window;
    this.enteredNanos = enteredNanos;
    this.openNanos = openNanos;
    this.trialPermits = new AtomicInteger(trialPermits);
  }

  static CircuitBreakerPhase closed(CircuitState state, CircuitBreakerConfig config, long now) {
    SlidingWindow window =
        config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
            ? new SlidingWindowByCount(config.slidingWindowSize())
            : new SlidingWindowByTime(config.slidingWindowSize(), now);
    return new CircuitBreakerPhase(state, window, now, 0, 0);
  }

  static CircuitBreakerPhase open(SlidingWindow tripped, long now, long openNanos) {
    return new CircuitBreakerPhase(CircuitState.OPEN, tripped, now, openNanos, 0);
  }

  static CircuitBreakerPhase halfOpen(int trials, long now) {
    return new CircuitBreakerPhase(
        CircuitState.HALF_OPEN, new SlidingWindowByCount(trials), now, 0, trials);
  }

  /** Takes one trial permit if any is left; exact however many threads race. */
  boolean takeTrialPermit() {
    for (int left = trialPermits.get(); left > 0; left = trialPermits.get()) {
      if (trialPermits.compareAndSet(left, left - 1)) {
        return true;
      }
    }
    return false;
  }
}
