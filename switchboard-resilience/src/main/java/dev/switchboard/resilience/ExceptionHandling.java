package dev.switchboard.resilience;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Per instance: which exceptions of the protected call count as failures (types or a predicate;
 * default: every {@link Exception}), what the caller sees instead of a pattern's own exception (a
 * transformer), and a callback told of every failure with its {@link ExceptionContext}. Immutable;
 * build with {@link #builder()}.
 */
public final class ExceptionHandling {

  private static final ExceptionHandling DEFAULTS = builder().build();

  private final Predicate<Throwable> handled;
  private final Optional<Function<ExceptionContext, ? extends RuntimeException>> transformer;
  private final Optional<Consumer<ExceptionContext>> onException;

  private ExceptionHandling(Builder b) {
    this.handled = b.handled;
    this.transformer = b.transformer;
    this.onException = b.onException;
  }

  /** Every exception counts, pattern exceptions are thrown as they are, no callback. */
  public static ExceptionHandling defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * True when {@code failure} counts as a failure of the call (others pass through, counted as
   * success).
   */
  public boolean handles(Throwable failure) {
    return handled.test(failure);
  }

  /**
   * Tells the callback (its exceptions are logged by {@link EventBus}'s rule: never thrown) and
   * returns what the caller should see: the transformer's exception if there is one, else {@code
   * fallback}.
   */
  public RuntimeException onFailure(ExceptionContext context, RuntimeException fallback) {
    report(context);
    return transformer.<RuntimeException>map(t -> t.apply(context)).orElse(fallback);
  }

  /**
   * Only tells the callback, for failures the caller sees as they are (the call's own exception
   * passing through a circuit breaker, say): no transformer runs.
   */
  public void report(ExceptionContext context) {
    onException.ifPresent(callback -> EventBus.deliver(callback, context));
  }

  /** Builds an {@link ExceptionHandling}. */
  public static final class Builder {
    private Predicate<Throwable> handled = e -> e instanceof Exception;
    private Optional<Function<ExceptionContext, ? extends RuntimeException>> transformer =
        Optional.empty();
    private Optional<Consumer<ExceptionContext>> onException = Optional.empty();

    private Builder() {}

    /** Only these exception types (and subtypes) count as failures. */
    @SafeVarargs
    public final Builder handle(Class<? extends Throwable>... types) {
      if (types.length == 0) {
        throw new IllegalArgumentException("handle needs at least one exception type");
      }
      List<Class<?>> copy = new ArrayList<>();
      for (Class<? extends Throwable> type : types) {
        copy.add(Objects.requireNonNull(type, "exception type"));
      }
      handled =
          e -> {
            for (Class<?> type : copy) {
              if (type.isInstance(e)) {
                return true;
              }
            }
            return false;
          };
      return this;
    }

    /** Only exceptions matching {@code predicate} count as failures. */
    public Builder handleIf(Predicate<Throwable> predicate) {
      handled = Objects.requireNonNull(predicate, "predicate");
      return this;
    }

    /** What the caller sees instead of the pattern's own exception. */
    public Builder transform(Function<ExceptionContext, ? extends RuntimeException> value) {
      transformer = Optional.of(Objects.requireNonNull(value, "transformer"));
      return this;
    }

    /** Told of every failure; its exceptions are logged and ignored. */
    public Builder onException(Consumer<ExceptionContext> value) {
      onException = Optional.of(Objects.requireNonNull(value, "onException"));
      return this;
    }

    public ExceptionHandling build() {
      return new ExceptionHandling(this);
    }
  }
}
