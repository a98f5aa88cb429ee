package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A token bucket: {@code rate} tokens every {@code period}, at most {@code burst} stored; one
 * permit costs one token. Exact: from its creation over an elapsed time {@code t}, it never grants
 * more than {@code burst + floor(t * rate / period)} permits, however many threads race.
 *
 * <p>Thread-safe and lock-free: the whole state is one {@code long} (the tokens taken or reserved
 * so far) updated by compare-and-set; the tokens produced are derived from the ticker, so no refill
 * task runs. A waiting caller reserves its tokens ahead and parks (no monitor, so virtual threads
 * do not pin) until they are produced; callers are served in the order they reserved. A grant
 * allocates nothing while no one listens to the events, except {@link #tryAcquire()}'s {@link
 * Result}.
 */
public final class RateLimiter {

  /**
   * With an injected ticker, a waiter re-reads it this often instead of sleeping its whole wait.
   */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final String name;
  private final RateLimiterConfig config;
  private final EventPublisher<RateLimiterEvent> events;
  private final Ticker ticker;
  private final RateLimiterRefill refill;
  private final long burst;
  private final long timeoutNanos;
  private final long origin;

  /**
   * Tokens consumed or reserved, on the scale of the tokens produced; -burst = a full bucket. CAS
   * only.
   */
  private final AtomicLong reachedTokens;

  private RateLimiter(String name, RateLimiterConfig config) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.events = new EventPublisher<>(config.eventBus());
    this.ticker = config.ticker();
    this.refill = new RateLimiterRefill(config.rate(), config.period().toNanos());
    this.burst = config.burst();
    this.timeoutNanos = saturatedNanos(config.timeout());
    this.origin = ticker.nanos();
    this.reachedTokens = new AtomicLong(-burst);
  }

  /** A limiter whose bucket starts full. */
  public static RateLimiter of(String name, RateLimiterConfig config) {
    return new RateLimiter(name, config);
  }

  /**
   * The outcome of {@link #tryAcquire(int)}, with what an HTTP layer needs for {@code
   * X-RateLimit-Remaining}, {@code Retry-After} and {@code X-RateLimit-Reset}.
   *
   * @param granted whether the permits were taken
   * @param remaining tokens left now (after this grant)
   * @param nanosUntilNextToken time until one more token is available; 0 while the bucket is full
   * @param retryAfterNanos 0 when granted, else the time until the requested permits would be
   *     available
   * @param nanosUntilFull time until the bucket is full again
   */
  public record Result(
      boolean granted,
      int remaining,
      long nanosUntilNextToken,
      long retryAfterNanos,
      long nanosUntilFull) {}

  public String name() {
    return name;
  }

  public RateLimiterConfig config() {
    return config;
  }

  public EventPublisher<RateLimiterEvent> events() {
    return events;
  }

  /** Tokens available now (0 while waiters hold reservations). */
  public int availableTokens() {
    long produced = refill.produced(elapsed(ticker.nanos()));
    return (int) Math.max(0, Math.min(burst, produced - reachedTokens.get()));
  }

  /** Takes one permit if one is free now; never waits. See {@link #tryAcquire(int)}. */
  public Result tryAcquire() {
    return tryAcquire(1);
  }

  /**
   * Takes {@code permits} if they are all free now; never waits.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above the burst (it could
   *     never be granted)
   */
  public Result tryAcquire(int permits) {
    checkPermits(permits);
    // The request is judged at its arrival: a lost race re-reads the bucket, not the clock.
    long now = ticker.nanos();
    long elapsed = elapsed(now);
    long produced = refill.produced(elapsed);
    while (true) {
      long reached = reachedTokens.get();
      long base = Math.max(reached, produced - burst);
      long next = base + permits;
      boolean granted = next <= produced;
      if (!granted || reachedTokens.compareAndSet(reached, next)) {
        long after = granted ? next : base;
        int remaining = (int) Math.max(0, produced - after);
        long retryAfter = granted ? 0 : refill.nanosUntil(next, elapsed);
        publish(granted, permits, now, remaining, retryAfter);
        long nextToken =
            after + burst <= produced
                ? 0
                : refill.nanosUntil(Math.max(produced, after) + 1, elapsed);
        return new Result(
            granted, remaining, nextToken, retryAfter, refill.nanosUntil(after + burst, elapsed));
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Takes {@code permits}, waiting at most {@code maxWait} for them. A caller that would have to
   * wait longer is refused at once without waiting; one that waits has reserved its tokens, which
   * are spent even if it is interrupted.
   *
   * @return true when the permits were taken, false when they would not be free within {@code
   *     maxWait}
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean acquire(int permits, Duration maxWait) throws InterruptedException {
    checkPermits(permits);
    long wait = reserve(permits, saturatedNanos(Check.notNegative("maxWait", maxWait)));
    if (wait < 0) {
      return false;
    }
    parkFor(wait);
    return true;
  }

  /** One permit, as {@link #acquire(int, Duration)}. */
  public boolean acquire(Duration maxWait) throws InterruptedException {
    return acquire(1, maxWait);
  }

  /**
   * Runs {@code callable} once a permit is taken, waiting at most the configured timeout.
   *
   * @throws RequestNotPermittedException (or the configured transformer's exception) if no permit
   *     is free in time
   * @throws InterruptedException if interrupted while waiting; anything {@code callable} throws
   *     passes through
   */
  public <T> T call(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    long wait = reserve(1, timeoutNanos);
    if (wait < 0) {
      throw refused(-wait - 1);
    }
    parkFor(wait);
    return callable.call();
  }

  /**
   * Starts {@code call} once a permit is taken; never blocks the caller: a permit that is only free
   * after a wait (within the timeout) is reserved and the call starts after that wait on the common
   * pool's delayed executor. The stage fails with {@link RequestNotPermittedException} if no permit
   * is free within the timeout.
   */
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
    Objects.requireNonNull(call, "call");
    long wait = reserve(1, timeoutNanos);
    if (wait < 0) {
      return CompletableFuture.failedFuture(refused(-wait - 1));
    }
    if (wait == 0) {
      return start(call);
    }
    return CompletableFuture.runAsync(
            () -> {}, CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS))
        .thenCompose(ignored -> start(call));
  }

  /**
   * Reserves {@code permits} if they are free within {@code maxWaitNanos}: returns the nanos to
   * wait (0 = now), or {@code -retryAfter - 1} when refused. Allocates nothing unless the events
   * are observed.
   */
  private long reserve(int permits, long maxWaitNanos) {
    long now = ticker.nanos();
    long elapsed = elapsed(now);
    long produced = refill.produced(elapsed);
    while (true) {
      long reached = reachedTokens.get();
      long next = Math.max(reached, produced - burst) + permits;
      long wait = next <= produced ? 0 : refill.nanosUntil(next, elapsed);
      if (wait > maxWaitNanos) {
        publish(false, permits, now, (int) Math.max(0, Math.min(burst, produced - reached)), wait);
        return -wait - 1;
      }
      if (reachedTokens.compareAndSet(reached, next)) {
        publish(true, permits, now, (int) Math.max(0, produced - next), 0);
        return wait;
      }
      Thread.onSpinWait(); // another caller won: let it finish before trying again
    }
  }

  private void publish(boolean granted, int permits, long now, int remaining, long retryAfter) {
    if (!events.isObserved()) {
      return;
    }
    if (granted) {
      events.emit(() -> new RateLimiterEvent.Acquired(name, now, permits, remaining));
    } else {
      events.emit(() -> new RateLimiterEvent.Rejected(name, now, permits, retryAfter));
    }
  }

  private RuntimeException refused(long retryAfterNanos) {
    ExceptionContext context =
        new ExceptionContext(
            name,
            PatternType.RATE_LIMITER,
            FailureReason.RATE_LIMITED,
            Optional.empty(),
            Map.of(
                "rate",
                refill.rate(),
                "periodNanos",
                refill.periodNanos(),
                "burst",
                burst,
                "retryAfterNanos",
                retryAfterNanos));
    return config
        .exceptionHandling()
        .onFailure(context, new RequestNotPermittedException(name, retryAfterNanos));
  }

  private static <T> CompletionStage<T> start(Supplier<? extends CompletionStage<T>> call) {
    try {
      return Objects.requireNonNull(call.get(), "call returned null");
    } catch (RuntimeException | Error e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void parkFor(long nanos) throws InterruptedException {
    if (nanos == 0) {
      return; // the common case: no second clock read
    }
    long deadline = ticker.nanos() + nanos;
    for (long left = nanos; left > 0; left = deadline - ticker.nanos()) {
      LockSupport.parkNanos(this, ticker == Ticker.SYSTEM ? left : Math.min(left, POLL_NANOS));
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted waiting for rate limiter '" + name + "'");
      }
    }
  }

  private long elapsed(long now) {
    return Math.max(0, now - origin);
  }

  private void checkPermits(int permits) {
    if (permits < 1 || permits > burst) {
      throw new IllegalArgumentException(
          "permits must be between 1 and the burst " + burst + ", got " + permits);
    }
  }

  private static long saturatedNanos(Duration d) {
    return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toNanos();
  }
}
