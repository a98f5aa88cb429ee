package dev.switchboard.resilience;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Replaces a failed call's failure with a result: a value, a function of the failure, or a chain of
 * them tried in order. Only failures the config's {@link ExceptionHandling} handles trigger it;
 * others reach the caller unchanged. Every step receives the call's original failure; a step that
 * throws hands over to the next. When every step fails the caller gets the last step's exception
 * with the call's failure and the other steps' exceptions suppressed in it (or the exception
 * handling's transformer's exception).
 *
 * <p>Fallback has no exception of its own: it never refuses a call, and when it gives up the most
 * useful thing to throw is what the last fallback threw. Stateless and thread-safe.
 *
 * @param <T> the protected call's result type
 */
public interface Fallback<T> {

  static <T> Fallback<T> of(String name, FallbackConfig<T> config) {
    return new FallbackImpl<>(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(config, "config"));
  }

  String name();

  FallbackConfig<T> config();

  EventPublisher<FallbackEvent> events();

  /** The call's result, or the fallback's when the call throws a handled exception. */
  T call(Callable<? extends T> call) throws Exception;

  /** Like {@link #call} for a call that throws no checked exception. */
  T get(Supplier<? extends T> call);

  /**
   * The stage's result, or the fallback's when the stage fails (or {@code call} throws) with a
   * handled exception. The steps run on the thread completing the stage.
   */
  CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call);
}
