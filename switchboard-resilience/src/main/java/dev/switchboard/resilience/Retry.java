package dev.switchboard.resilience;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Calls again after a failure: up to {@link RetryConfig#maxAttempts()} attempts, within {@link
 * RetryConfig#maxDuration()}, waiting as the {@link Backoff} says between attempts. An attempt is
 * retried when it throws an exception the config's {@link ExceptionHandling} handles, or when its
 * result matches the retry-on-result predicate. Other exceptions reach the caller at once.
 *
 * <p>On giving up the caller gets a {@link RetriesExhaustedException} (through the exception
 * handling's transformer, if any): its cause is the last exception; when the last attempt was
 * retried because of its result, the result is in {@link RetriesExhaustedException#lastResult()} —
 * the last result is never returned as if it were a success.
 *
 * <p>Blocking calls wait with the config's {@link Sleeper} (a virtual thread only parks). Async
 * calls schedule the next attempt on the config's scheduler and never block a thread. Thread-safe;
 * one instance serves any number of concurrent calls.
 */
public interface Retry {

  static Retry of(String name, RetryConfig config) {
    return new RetryImpl(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(config, "config"));
  }

  static Retry ofDefaults(String name) {
    return of(name, RetryConfig.defaults());
  }

  String name();

  RetryConfig config();

  EventPublisher<RetryEvent> events();

  /**
   * Runs {@code call} until it succeeds or the retry gives up; unhandled exceptions are thrown as
   * they are.
   */
  <T> T call(Callable<T> call) throws Exception;

  /**
   * Like {@link #call} for a call that throws no checked exception. If the thread is interrupted
   * while waiting between attempts, its interrupt flag is set again and a {@link
   * java.util.concurrent.CompletionException} with the {@link InterruptedException} as cause is
   * thrown.
   */
  <T> T get(Supplier<T> call);

  /** Like {@link #get} for a call without result. */
  void run(Runnable call);

  /**
   * Starts {@code call} and starts it again, after the backoff delay, each time its stage fails
   * with a handled exception or completes with a retried result. The returned stage completes like
   * the last attempt, or with a {@link RetriesExhaustedException}. An exception thrown by {@code
   * call} itself counts as a failed attempt.
   */
  <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call);

  /**
   * Waits between blocking attempts; {@link #THREAD} sleeps. Tests pass one that advances a manual
   * ticker.
   */
  @FunctionalInterface
  interface Sleeper {

    /** {@link Thread#sleep(java.time.Duration)}: parks a virtual thread without pinning it. */
    Sleeper THREAD = Thread::sleep;

    void sleep(java.time.Duration duration) throws InterruptedException;
  }
}
