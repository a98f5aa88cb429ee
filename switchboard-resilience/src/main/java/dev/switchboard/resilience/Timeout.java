package dev.switchboard.resilience;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Bounds how long a call may take. A blocking call runs on the config's executor (a new virtual
 * thread by default) while the caller waits at most the timeout; then the work is interrupted and
 * the caller gets a {@link TimeoutExceededException} (through the exception handling's transformer,
 * if any). An async call's stage completes exceptionally the same way after the timeout, measured
 * on the config's scheduler, and the source future is cancelled when it is a {@link
 * java.util.concurrent.CompletableFuture} (and {@link TimeoutConfig#cancelRunningFuture()} is on).
 *
 * <p>The variants taking a {@link Deadline} wait at most the smaller of the timeout and the
 * deadline's remaining time; an expired deadline fails at once without starting the call. The
 * call's own exceptions reach the caller unchanged. Thread-safe.
 */
public interface Timeout {

  static Timeout of(String name, TimeoutConfig config) {
    return new TimeoutImpl(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(config, "config"));
  }

  static Timeout ofDefaults(String name) {
    return of(name, TimeoutConfig.defaults());
  }

  String name();

  TimeoutConfig config();

  EventPublisher<TimeoutEvent> events();

  /**
   * Runs {@code call} and waits at most the timeout. If the caller is interrupted the work is
   * cancelled too.
   */
  default <T> T call(Callable<T> call) throws Exception {
    return call(call, Deadline.none());
  }

  /** Like {@link #call(Callable)} bounded also by {@code deadline}. */
  <T> T call(Callable<T> call, Deadline deadline) throws Exception;

  /**
   * Like {@link #call(Callable)} for a call that throws no checked exception. If the caller is
   * interrupted while waiting, its interrupt flag is set again and a {@link
   * java.util.concurrent.CompletionException} with the {@link InterruptedException} as cause is
   * thrown.
   */
  default <T> T get(Supplier<T> call) {
    Objects.requireNonNull(call, "call");
    try {
      return call(call::get);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  /** Like {@link #get} for a call without result. */
  default void run(Runnable call) {
    Objects.requireNonNull(call, "call");
    get(
        () -> {
          call.run();
          return null;
        });
  }

  /**
   * Starts {@code call} and fails its stage with a {@link TimeoutExceededException} if it is late.
   */
  default <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
    return callAsync(call, Deadline.none());
  }

  /** Like {@link #callAsync(Supplier)} bounded also by {@code deadline}. */
  <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call, Deadline deadline);
}
