package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.resilience.AdaptiveLimiter;
import dev.switchboard.resilience.RateLimiterConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Limits and liveness settings of one connection. Immutable; build with {@link #builder()}; every
 * value has a documented default (also listed in docs/rpc.md). A zero duration switches the feature
 * off where that is allowed.
 */
public final class RpcConfig {

  private static final RpcConfig DEFAULTS = builder().build();

  private final int maxMessageBytes;
  private final int maxInFlightCalls;
  private final int maxPendingCalls;
  private final int maxBatchSize;
  private final Duration callTimeout;
  private final Duration pingInterval;
  private final Duration pingTimeout;
  private final int maxMissedPings;
  private final Duration idleTimeout;
  private final Duration maxConnectionDuration;
  private final Optional<RateLimiterConfig> messageRate;
  private final int maxRefusedMessages;
  private final Optional<AdaptiveLimiter> handlerLimiter;
  private final Encoding encoding;
  private final Executor handlerExecutor;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final RpcObserver observer;

  private RpcConfig(Builder b) {
    this.maxMessageBytes = b.maxMessageBytes;
    this.maxInFlightCalls = b.maxInFlightCalls;
    this.maxPendingCalls = b.maxPendingCalls;
    this.maxBatchSize = b.maxBatchSize;
    this.callTimeout = b.callTimeout;
    this.pingInterval = b.pingInterval;
    this.pingTimeout = b.pingTimeout;
    this.maxMissedPings = b.maxMissedPings;
    this.idleTimeout = b.idleTimeout;
    this.maxConnectionDuration = b.maxConnectionDuration;
    this.messageRate = b.messageRate;
    this.maxRefusedMessages = b.maxRefusedMessages;
    this.handlerLimiter = b.handlerLimiter;
    this.encoding = b.encoding;
    this.handlerExecutor = b.handlerExecutor;
    this.scheduler = b.scheduler;
    this.clock = b.clock;
    this.observer = b.observer;
  }

  public static RpcConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Largest message accepted, in bytes; a larger one closes the connection with 1009. Default 1
   * MiB.
   */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** Calls from the peer running at once; the excess is answered with -32001 busy. Default 1024. */
  public int maxInFlightCalls() {
    return maxInFlightCalls;
  }

  /**
   * Our calls awaiting an answer; the excess fails with {@link PendingCallsLimitException}. Default
   * 1024.
   */
  public int maxPendingCalls() {
    return maxPendingCalls;
  }

  /** Elements in one incoming batch; a larger batch is answered with one -32600. Default 1000. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** Timeout of a call that names none. Default 30 s. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** How often we ping the peer ({@code rpc.ping}); zero switches keepalive off. Default 30 s. */
  public Duration pingInterval() {
    return pingInterval;
  }

  /** How long a ping may stay unanswered before it counts as missed. Default 10 s. */
  public Duration pingTimeout() {
    return pingTimeout;
  }

  /** Missed pings in a row that close the connection (1001). Default 3. */
  public int maxMissedPings() {
    return maxMissedPings;
  }

  /**
   * Close the connection (1001) after this long without a message either way, pings aside; zero:
   * never.
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Close the connection (1001) once it is this old; zero: never. Default zero. */
  public Duration maxConnectionDuration() {
    return maxConnectionDuration;
  }

  /**
   * The most requests and notifications the peer may send (a batch counts once; answers to our
   * calls are never limited), as a token bucket per connection. A message over the rate is not run:
   * its requests are answered with -32008 and {@code retry_after_ms}. Default: unlimited.
   */
  public Optional<RateLimiterConfig> messageRate() {
    return messageRate;
  }

  /**
   * How many messages may be refused by {@link #messageRate()} before the connection is closed with
   * 1008: an allowance that refills at a tenth of itself per second, so a short burst is forgiven
   * and a peer that keeps sending over the rate is cut off within seconds. Default 50.
   */
  public int maxRefusedMessages() {
    return maxRefusedMessages;
  }

  /**
   * A limit on handlers running at once, shared by every connection given the same limiter: calls
   * beyond it are answered with -32007 (overloaded) and {@code retry_after_ms}. Deadline overruns
   * count as failures (the limit shrinks), cancelled calls count as nothing, other answers as
   * successes. Default: none (only {@link #maxInFlightCalls()} per connection).
   */
  public Optional<AdaptiveLimiter> handlerLimiter() {
    return handlerLimiter;
  }

  /** The encoding of our own calls and notifications (replies use the request's). Default JSON. */
  public Encoding encoding() {
    return encoding;
  }

  /** Where handlers run. Default: a new virtual thread per call. */
  public Executor handlerExecutor() {
    return handlerExecutor;
  }

  /** Timers (timeouts, pings). Default: one shared daemon thread. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Time for deadlines. Default: the system clock. */
  public Clock clock() {
    return clock;
  }

  /**
   * Watches the calls both ways, for metrics and tracing, and puts trace context on our calls.
   * Default {@link RpcObserver#NONE}.
   */
  public RpcObserver observer() {
    return observer;
  }

  /** Builds an {@link RpcConfig}; each setter checks its value and names it in the error. */
  public static final class Builder {
    private int maxMessageBytes = 1 << 20;
    private int maxInFlightCalls = 1024;
    private int maxPendingCalls = 1024;
    private int maxBatchSize = 1000;
    private Duration callTimeout = Duration.ofSeconds(30);
    private Duration pingInterval = Duration.ofSeconds(30);
    private Duration pingTimeout = Duration.ofSeconds(10);
    private int maxMissedPings = 3;
    private Duration idleTimeout = Duration.ZERO;
    private Duration maxConnectionDuration = Duration.ZERO;
    private Optional<RateLimiterConfig> messageRate = Optional.empty();
    private int maxRefusedMessages = 50;
    private Optional<AdaptiveLimiter> handlerLimiter = Optional.empty();
    private Encoding encoding = Encoding.JSON;
    private Executor handlerExecutor = DefaultThreads.HANDLERS;
    private ScheduledExecutorService scheduler = DefaultThreads.SCHEDULER;
    private Clock clock = Clock.systemUTC();
    private RpcObserver observer = RpcObserver.NONE;

    private Builder() {}

    private Builder(RpcConfig c) {
      maxMessageBytes = c.maxMessageBytes;
      maxInFlightCalls = c.maxInFlightCalls;
      maxPendingCalls = c.maxPendingCalls;
      maxBatchSize = c.maxBatchSize;
      callTimeout = c.callTimeout;
      pingInterval = c.pingInterval;
      pingTimeout = c.pingTimeout;
      maxMissedPings = c.maxMissedPings;
      idleTimeout = c.idleTimeout;
      maxConnectionDuration = c.maxConnectionDuration;
      messageRate = c.messageRate;
      maxRefusedMessages = c.maxRefusedMessages;
      handlerLimiter = c.handlerLimiter;
      encoding = c.encoding;
      handlerExecutor = c.handlerExecutor;
      scheduler = c.scheduler;
      clock = c.clock;
      observer = c.observer;
    }

    public Builder maxMessageBytes(int value) {
      maxMessageBytes = positive("maxMessageBytes", value);
      return this;
    }

    public Builder maxInFlightCalls(int value) {
      maxInFlightCalls = positive("maxInFlightCalls", value);
      return this;
    }

    public Builder maxPendingCalls(int value) {
      maxPendingCalls = positive("maxPendingCalls", value);
      return this;
    }

    public Builder maxBatchSize(int value) {
      maxBatchSize = positive("maxBatchSize", value);
      return this;
    }

    public Builder callTimeout(Duration value) {
      callTimeout = positive("callTimeout", value);
      return this;
    }

    public Builder pingInterval(Duration value) {
      pingInterval = notNegative("pingInterval", value);
      return this;
    }

    public Builder pingTimeout(Duration value) {
      pingTimeout = positive("pingTimeout", value);
      return this;
    }

    public Builder maxMissedPings(int value) {
      maxMissedPings = positive("maxMissedPings", value);
      return this;
    }

    public Builder idleTimeout(Duration value) {
      idleTimeout = notNegative("idleTimeout", value);
      return this;
    }

    public Builder maxConnectionDuration(Duration value) {
      maxConnectionDuration = notNegative("maxConnectionDuration", value);
      return this;
    }

    /** Limits the peer's messages (see {@link RpcConfig#messageRate()}); empty: unlimited. */
    public Builder messageRate(Optional<RateLimiterConfig> value) {
      messageRate = Objects.requireNonNull(value, "messageRate");
      return this;
    }

    /** At most {@code perSecond} messages a second, with a burst of as many; 0: unlimited. */
    public Builder messageRate(int perSecond) {
      return messageRate(perSecond, perSecond);
    }

    /**
     * At most {@code perSecond} messages a second after a burst of {@code burst} (the bucket's
     * size: what a peer may send at once after a quiet spell); {@code perSecond} 0: unlimited;
     * {@code burst} 0: the same as the rate.
     */
    public Builder messageRate(int perSecond, int burst) {
      if (perSecond < 0 || burst < 0) {
        throw new IllegalArgumentException(
            "messageRate and its burst must not be negative, got " + perSecond + " and " + burst);
      }
      return messageRate(
          perSecond == 0
              ? Optional.empty()
              : Optional.of(
                  RateLimiterConfig.builder()
                      .rate(perSecond)
                      .period(Duration.ofSeconds(1))
                      .burst(burst == 0 ? perSecond : burst)
                      .build()));
    }

    public Builder maxRefusedMessages(int value) {
      maxRefusedMessages = positive("maxRefusedMessages", value);
      return this;
    }

    /**
     * Shares {@code value} between the connections built with this config; empty: no shared limit.
     */
    public Builder handlerLimiter(Optional<AdaptiveLimiter> value) {
      handlerLimiter = Objects.requireNonNull(value, "handlerLimiter");
      return this;
    }

    public Builder encoding(Encoding value) {
      encoding = Objects.requireNonNull(value, "encoding");
      return this;
    }

    public Builder handlerExecutor(Executor value) {
      handlerExecutor = Objects.requireNonNull(value, "handlerExecutor");
      return this;
    }

    public Builder scheduler(ScheduledExecutorService value) {
      scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Observes the connection's calls (see {@link RpcObserver}); {@link RpcObserver#NONE}: none.
     */
    public Builder observer(RpcObserver value) {
      observer = Objects.requireNonNull(value, "observer");
      return this;
    }

    public RpcConfig build() {
      return new RpcConfig(this);
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    private static Duration notNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + value);
      }
      return value;
    }
  }

  /** The shared defaults, created on first use. */
  private static final class DefaultThreads {
    static final Executor HANDLERS =
        // Unnamed: numbering every thread cost a few percent of CPU in profiles.
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
    static final ScheduledExecutorService SCHEDULER = scheduler();

    private static ScheduledExecutorService scheduler() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1, Thread.ofPlatform().name("rpc-timer").daemon().factory());
      timer.setRemoveOnCancelPolicy(true); // cancelled call timeouts must not pile up
      return timer;
    }
  }
}
