package dev.switchboard.resilience;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@link Fallback}: stateless. */
final class FallbackImpl<T> implements Fallback<T> {

  private final String name;
  private final FallbackConfig<T> config;
  private final EventPublisher<FallbackEvent> events;
  private final List<Function<? super Throwable, ? extends T>> steps;

  FallbackImpl(String name, FallbackConfig<T> config) {
    this.name = name;
    this.config = config;
    this.events = new EventPublisher<>(config.eventBus());
    this.steps = config.steps();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public FallbackConfig<T> config() {
    return config;
  }

  @Override
  public EventPublisher<FallbackEvent> events() {
    return events;
  }

  @Override
  public T call(Callable<? extends T> call) throws Exception {
    Objects.requireNonNull(call, "call");
    try {
      return call.call();
    } catch (Exception e) {
      if (!config.exceptionHandling().handles(e)) {
        throw e;
      }
      return recover(e);
    }
  }

  @Override
  public T get(Supplier<? extends T> call) {
    Objects.requireNonNull(call, "call");
    try {
      return call.get();
    } catch (RuntimeException e) {
      if (!config.exceptionHandling().handles(e)) {
        throw e;
      }
      return recover(e);
    }
  }

  @Override
  public CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
    Objects.requireNonNull(call, "call");
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(call.get(), "the call returned a null stage");
    } catch (Throwable t) {
      stage = CompletableFuture.failedFuture(t);
    }
    stage.whenComplete(
        (value, thrown) -> {
          if (thrown == null) {
            result.complete(value);
            return;
          }
          Throwable failure = RetryImpl.unwrap(thrown);
          if (!config.exceptionHandling().handles(failure)) {
            result.completeExceptionally(failure);
            return;
          }
          try {
            result.complete(recover(failure));
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result;
  }

  /** Tries each step; returns the first result or throws the last step's failure. */
  private T recover(Throwable failure) {
    Throwable last = null;
    Throwable[] earlier = new Throwable[steps.size()];
    for (int i = 0; i < steps.size(); i++) {
      try {
        T value = steps.get(i).apply(failure);
        int index = i;
        events.emit(
            () -> new FallbackEvent.Recovered(name, config.ticker().nanos(), index, failure));
        return value;
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError vme) {
          throw vme;
        }
        int index = i;
        events.emit(
            () -> new FallbackEvent.FallbackFailed(name, config.ticker().nanos(), index, e));
        earlier[i] = e;
        last = e;
      }
    }
    Throwable lastFailure = Objects.requireNonNull(last);
    addSuppressed(lastFailure, failure);
    for (Throwable e : earlier) {
      addSuppressed(lastFailure, e);
    }
    events.emit(() -> new FallbackEvent.AllFailed(name, config.ticker().nanos(), failure));
    ExceptionContext context =
        new ExceptionContext(
            name,
            PatternType.FALLBACK,
            FailureReason.CALL_FAILED,
            Optional.of(failure),
            Map.of("fallbacks", steps.size(), "lastFallbackFailure", lastFailure));
    if (lastFailure instanceof RuntimeException runtime) {
      throw config.exceptionHandling().onFailure(context, runtime);
    }
    config.exceptionHandling().report(context);
    throw (Error) lastFailure;
  }

  private static void addSuppressed(Throwable to, Throwable e) {
    if (e != null && e != to) {
      to.addSuppressed(e);
    }
  }

  @Override
  public String toString() {
    return "Fallback[" + name + ", " + steps.size() + " step(s)]";
  }
}
