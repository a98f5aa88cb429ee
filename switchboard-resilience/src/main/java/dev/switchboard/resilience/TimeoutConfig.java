package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Settings of a {@link Timeout}. Immutable; build with {@link #builder()}, validated in {@link
 * Builder#build()}.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>timeout</td><td>1 s</td><td>longest time a call may take (positive)</td></tr>
 *   <tr><td>executor</td><td>a new virtual thread per call</td><td>runs blocking calls</td></tr>
 *   <tr><td>scheduler</td><td>shared daemon</td><td>fires async timeouts</td></tr>
 *   <tr><td>cancelRunningFuture</td><td>true</td><td>cancel a late CompletableFuture</td></tr>
 *   <tr><td>exceptionHandling</td><td>every Exception</td><td>failure events, callback, transformer</td></tr>
 *   <tr><td>ticker, eventBus</td><td>SYSTEM, global</td><td>event times and events</td></tr>
 * </table>
 */
public final class TimeoutConfig extends PatternConfig {

  private static final ThreadFactory VIRTUAL =
      Thread.ofVirtual().name("switchboard-timeout-", 0).factory();
  private static final Executor VIRTUAL_PER_CALL = task -> VIRTUAL.newThread(task).start();
  private static final TimeoutConfig DEFAULTS = builder().build();

  private final Duration timeout;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final boolean cancelRunningFuture;

  private TimeoutConfig(Builder b) {
    super(b);
    this.timeout = b.timeout;
    this.executor = b.executor;
    this.scheduler = b.scheduler.orElseGet(RetryConfig.SharedScheduler::get);
    this.cancelRunningFuture = b.cancelRunningFuture;
  }

  public static TimeoutConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Duration timeout() {
    return timeout;
  }

  public Executor executor() {
    return executor;
  }

  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  public boolean cancelRunningFuture() {
    return cancelRunningFuture;
  }

  /** Builds a {@link TimeoutConfig}. */
  public static final class Builder extends PatternConfig.Builder<Builder> {
    private Duration timeout = Duration.ofSeconds(1);
    private Executor executor = VIRTUAL_PER_CALL;
    private Optional<ScheduledExecutorService> scheduler = Optional.empty();
    private boolean cancelRunningFuture = true;

    private Builder() {}

    public Builder timeout(Duration value) {
      timeout = Objects.requireNonNull(value, "timeout");
      return this;
    }

    public Builder executor(Executor value) {
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    public Builder scheduler(ScheduledExecutorService value) {
      scheduler = Optional.of(Objects.requireNonNull(value, "scheduler"));
      return this;
    }

    public Builder cancelRunningFuture(boolean value) {
      cancelRunningFuture = value;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public TimeoutConfig build() {
      Check.positive("timeout", timeout);
      return new TimeoutConfig(this);
    }
  }
}
