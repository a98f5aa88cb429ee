package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Settings of a {@link Retry}. Immutable; build with {@link #builder()}, validated in {@link
 * Builder#build()}.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>maxAttempts</td><td>3</td><td>attempts in all, the first one included (at least 1)</td></tr>
 *   <tr><td>maxDuration</td><td>none</td><td>no retry starts later than this after the first attempt</td></tr>
 *   <tr><td>backoff</td><td>exponential 100 ms, x2, max 10 s</td><td>wait before each retry</td></tr>
 *   <tr><td>retryOnResult</td><td>never</td><td>a result matching it is retried</td></tr>
 *   <tr><td>exceptionHandling</td><td>every Exception</td><td>which exceptions are retried</td></tr>
 *   <tr><td>sleeper</td><td>Thread.sleep</td><td>blocking wait</td></tr>
 *   <tr><td>scheduler</td><td>shared daemon</td><td>schedules async attempts</td></tr>
 *   <tr><td>random</td><td>RandomGenerator.getDefault()</td><td>jitter source</td></tr>
 *   <tr><td>ticker, eventBus</td><td>SYSTEM, global</td><td>time and events</td></tr>
 * </table>
 */
public final class RetryConfig extends PatternConfig {

  private static final RetryConfig DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Optional<Duration> maxDuration;
  private final Backoff backoff;
  private final Predicate<Object> retryOnResult;
  private final Retry.Sleeper sleeper;
  private final ScheduledExecutorService scheduler;
  private final RandomGenerator random;

  private RetryConfig(Builder b) {
    super(b);
    this.maxAttempts = b.maxAttempts;
    this.maxDuration = b.maxDuration;
    this.backoff = b.backoff;
    this.retryOnResult = b.retryOnResult;
    this.sleeper = b.sleeper;
    this.scheduler = b.scheduler.orElseGet(SharedScheduler::get);
    this.random = b.random;
  }

  public static RetryConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Optional<Duration> maxDuration() {
    return maxDuration;
  }

  public Backoff backoff() {
    return backoff;
  }

  public Predicate<Object> retryOnResult() {
    return retryOnResult;
  }

  public Retry.Sleeper sleeper() {
    return sleeper;
  }

  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  public RandomGenerator random() {
    return random;
  }

  /** One daemon scheduler shared by every instance that is given none; created on first use. */
  static final class SharedScheduler {
    private static final ScheduledExecutorService INSTANCE =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "switchboard-resilience-scheduler");
              t.setDaemon(true);
              return t;
            });

    private SharedScheduler() {}

    static ScheduledExecutorService get() {
      return INSTANCE;
    }
  }

  /** Builds a {@link RetryConfig}. */
  public static final class Builder extends PatternConfig.Builder<Builder> {
    private int maxAttempts = 3;
    private Optional<Duration> maxDuration = Optional.empty();
    private Backoff backoff =
        Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10));
    private Predicate<Object> retryOnResult = result -> false;
    private Retry.Sleeper sleeper = Retry.Sleeper.THREAD;
    private Optional<ScheduledExecutorService> scheduler = Optional.empty();
    private RandomGenerator random = RandomGenerator.getDefault();

    private Builder() {}

    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    /**
     * Gives up instead of waiting when the next attempt would start later than {@code value} after
     * the first.
     */
    public Builder maxDuration(Duration value) {
      maxDuration = Optional.of(Objects.requireNonNull(value, "maxDuration"));
      return this;
    }

    public Builder backoff(Backoff value) {
      backoff = Objects.requireNonNull(value, "backoff");
      return this;
    }

    /**
     * A result matching {@code value} is retried (the predicate sees results of any type; check the
     * type).
     */
    public Builder retryOnResult(Predicate<Object> value) {
      retryOnResult = Objects.requireNonNull(value, "retryOnResult");
      return this;
    }

    public Builder sleeper(Retry.Sleeper value) {
      sleeper = Objects.requireNonNull(value, "sleeper");
      return this;
    }

    public Builder scheduler(ScheduledExecutorService value) {
      scheduler = Optional.of(Objects.requireNonNull(value, "scheduler"));
      return this;
    }

    public Builder random(RandomGenerator value) {
      random = Objects.requireNonNull(value, "random");
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public RetryConfig build() {
      Check.atLeast("maxAttempts", maxAttempts, 1);
      maxDuration.ifPresent(d -> Check.positive("maxDuration", d));
      return new RetryConfig(this);
    }
  }
}
