package dev.switchboard.resilience;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Stops calling a failing dependency for a while. CLOSED, it passes calls and records their
 * outcomes in a sliding window; it trips to OPEN on {@code consecutiveFailureThreshold} failures in
 * a row, or once the window holds {@code minimumNumberOfCalls} and the failure rate or slow-call
 * rate reaches its threshold. OPEN, it refuses calls with {@link CallNotPermittedException} for the
 * (optionally jittered) open wait, then turns HALF_OPEN on the next call or state query. HALF_OPEN
 * admits exactly {@code permittedCallsInHalfOpenState} trial calls, however many threads race; when
 * all have reported, it closes (rates below thresholds) or opens again. If the trial results do not
 * all arrive within {@code maxWaitInHalfOpenState}, it opens again (and later admits a fresh set of
 * trials), so a trial call that never reports cannot keep it half-open.
 *
 * <p>Which exceptions count as failures comes from the config's {@link ExceptionHandling}: others
 * are counted as successes and rethrown unchanged. A returned result matching {@code failureResult}
 * counts as a failure and is still returned. A call's outcome is recorded to the state that
 * admitted it; after a transition it is ignored.
 *
 * <p>Thread-safe and lock-free on the closed path; allocation-free on a closed successful call with
 * no listener.
 */
public interface CircuitBreaker {

  static CircuitBreaker of(String name, CircuitBreakerConfig config) {
    return new CircuitBreakerImpl(name, config);
  }

  String name();

  CircuitBreakerConfig config();

  /**
   * The current state; applies a due time-based transition (OPEN to HALF_OPEN, or a half-open
   * timeout) first.
   */
  CircuitState state();

  CircuitBreakerMetrics metrics();

  EventPublisher<CircuitBreakerEvent> events();

  /**
   * Runs {@code callable} if permitted and records its outcome.
   *
   * @throws CallNotPermittedException if refused (or what the exception handling's transformer
   *     makes of it)
   * @throws Exception whatever {@code callable} throws, unchanged
   */
  <T> T call(Callable<T> callable) throws Exception;

  /** Like {@link #call} for a {@link Supplier}. */
  <T> T get(Supplier<T> supplier);

  /** Like {@link #call} for a {@link Runnable}. */
  void run(Runnable runnable);

  /**
   * Starts {@code supplier}'s work if permitted and records its outcome when the stage completes. A
   * refusal or an exception thrown by {@code supplier} comes back as a failed stage, never thrown.
   */
  <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier);

  /**
   * For integration code that runs the call itself: true if a call may start. Every permitted call
   * must then report {@link #onSuccess}, {@link #onError} or {@link #releasePermission} (else, in
   * HALF_OPEN, the trial counts as missing until {@code maxWaitInHalfOpenState}). A refusal counts
   * and is published as not permitted but is not passed to the exception handling's callback.
   */
  boolean tryAcquirePermission();

  /**
   * Gives back a permission for a call that did not run (a half-open trial permit becomes free
   * again).
   */
  void releasePermission();

  /** Records a success of a permitted call to the current state. */
  void onSuccess(long durationNanos);

  /**
   * Records a failure of a permitted call (a success if the exception handling does not handle
   * {@code error}).
   */
  void onError(long durationNanos, Throwable error);

  /** CLOSED with an empty window, from any state; publishes a reset event. */
  void reset();

  /** FORCED_OPEN: refuses every call until {@link #reset()}. */
  void forceOpen();

  /** DISABLED: permits every call and still records it, never trips, until {@link #reset()}. */
  void disable();
}
