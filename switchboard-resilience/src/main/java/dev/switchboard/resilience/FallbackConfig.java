package dev.switchboard.resilience;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of a {@link Fallback}: the chain of fallbacks tried in order, and which failures trigger it.
 * Immutable; build with {@link #builder()}, validated in {@link Builder#build()}. There are no defaults: a
 * fallback needs at least one step.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>value / recover</td><td>(required, at least one)</td><td>steps of the chain, in order</td></tr>
 *   <tr><td>exceptionHandling</td><td>every Exception</td><td>which failures trigger the fallback</td></tr>
 *   <tr><td>ticker, eventBus</td><td>SYSTEM, global</td><td>event times and events</td></tr>
 * </table>
 *
 * @param <T> the protected call's result type
 */
public final class FallbackConfig<T> {

  private final List<Function<? super Throwable, ? extends T>> steps;
  private final ExceptionHandling exceptionHandling;
  private final Ticker ticker;
  private final EventBus eventBus;

  private FallbackConfig(Builder<T> b) {
    this.steps = List.copyOf(b.steps);
    this.exceptionHandling = b.exceptionHandling;
    this.ticker = b.ticker;
    this.eventBus = b.eventBus;
  }

  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  /** The chain, in the order tried; never empty. */
  public List<Function<? super Throwable, ? extends T>> steps() { return steps; }

  public ExceptionHandling exceptionHandling() { return exceptionHandling; }

  public Ticker ticker() { return ticker; }

  public EventBus eventBus() { return eventBus; }

  /** Builds a {@link FallbackConfig}. */
  public static final class Builder<T> {
    private final List<Function<? super Throwable, ? extends T>> steps = new ArrayList<>();
    private ExceptionHandling exceptionHandling = ExceptionHandling.defaults();
    private Ticker ticker = Ticker.SYSTEM;
    private EventBus eventBus = EventBus.global();

    private Builder() {}

    /** Appends a step answering {@code value} whatever the failure. */
    public Builder<T> value(T value) {
      Objects.requireNonNull(value, "value");
      steps.add(failure -> value);
      return this;
    }

    /**
     * Appends a step computing the result from the call's failure (every step sees the call's original
     * failure). If it throws, the next step is tried.
     */
    public Builder<T> recover(Function<? super Throwable, ? extends T> step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    /** Which failures of the call trigger the chain; others reach the caller unchanged. */
    public Builder<T> exceptionHandling(ExceptionHandling value) {
      exceptionHandling = Objects.requireNonNull(value, "exceptionHandling");
      return this;
    }

    public Builder<T> ticker(Ticker value) { ticker = Objects.requireNonNull(value, "ticker"); return this; }

    public Builder<T> eventBus(EventBus value) { eventBus = Objects.requireNonNull(value, "eventBus"); return this; }

    public FallbackConfig<T> build() {
      Check.atLeast("fallbacks", steps.size(), 1);
      return new FallbackConfig<>(this);
    }
  }
}
