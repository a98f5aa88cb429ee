package dev.switchboard.resilience;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of a {@link Fallback}: the chain of fallbacks tried in order, and which failures trigger
 * it. Immutable; build with {@link #builder()}, validated in {@link Builder#build()}. There are no
 * defaults: a fallback needs at least one step.
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
public final class FallbackConfig<T> extends PatternConfig {

  private final List<Function<? super Throwable, ? extends T>> steps;

  private FallbackConfig(Builder<T> b) {
    super(b);
    this.steps = List.copyOf(b.steps);
  }

  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  /** The chain, in the order tried; never empty. */
  public List<Function<? super Throwable, ? extends T>> steps() {
    return steps;
  }

  /** Builds a {@link FallbackConfig}. */
  public static final class Builder<T> extends PatternConfig.Builder<Builder<T>> {
    private final List<Function<? super Throwable, ? extends T>> steps = new ArrayList<>();

    private Builder() {}

    /** Appends a step answering {@code value} whatever the failure. */
    public Builder<T> value(T value) {
      Objects.requireNonNull(value, "value");
      steps.add(failure -> value);
      return this;
    }

    /**
     * Appends a step computing the result from the call's failure (every step sees the call's
     * original failure). If it throws, the next step is tried.
     */
    public Builder<T> recover(Function<? super Throwable, ? extends T> step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    @Override
    Builder<T> self() {
      return this;
    }

    public FallbackConfig<T> build() {
      Check.atLeast("fallbacks", steps.size(), 1);
      return new FallbackConfig<>(this);
    }
  }
}
