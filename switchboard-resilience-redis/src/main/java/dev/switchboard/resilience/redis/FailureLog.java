package dev.switchboard.resilience.redis;

import dev.switchboard.resilience.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs Redis failures without flooding the log when every request fails: the first failure of an
 * outage is a warning, later ones are summed up in at most one warning per {@link #QUIET_NANOS},
 * and the first answer after an outage is logged once. Never logs keys. Thread-safe; a request that
 * succeeds while Redis is healthy only reads one volatile field.
 */
final class FailureLog {

  static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

  private final String name;
  private final String behaviour;
  private final Ticker ticker;
  private final ReentrantLock lock = new ReentrantLock();

  /** True from a failure until the next answer; written under {@link #lock}, read without it. */
  private volatile boolean failing;

  /** Failures since the last warning; guarded by {@link #lock}. */
  private long unreported;

  /** Failures since the outage began; guarded by {@link #lock}. */
  private long outageFailures;

  /** When the last warning was logged; guarded by {@link #lock}. */
  private long lastWarning;

  FailureLog(String name, FailureMode mode, Ticker ticker) {
    this.name = name;
    this.behaviour =
        switch (mode) {
          case OPEN -> "failing open (granting)";
          case CLOSED -> "failing closed (refusing)";
          case THROW -> "throwing to callers";
        };
    this.ticker = ticker;
  }

  void failed(Throwable cause) {
    long now = ticker.nanos();
    boolean first;
    long summed;
    lock.lock();
    try {
      outageFailures++;
      first = !failing;
      if (!first && now - lastWarning < QUIET_NANOS) {
        unreported++;
        return;
      }
      summed = unreported;
      unreported = 0;
      lastWarning = now;
      failing = true;
    } finally {
      lock.unlock();
    }
    // Logged outside the lock: an appender may block.
    if (first) {
      log.warn(
          "redis rate limiter '{}': Redis failed ({}); {} until it answers, further failures summed up every"
              + " {} s",
          name,
          cause.toString(),
          behaviour,
          TimeUnit.NANOSECONDS.toSeconds(QUIET_NANOS));
    } else {
      log.warn(
          "redis rate limiter '{}': {} more Redis failures, still {}; last: {}",
          name,
          summed + 1,
          behaviour,
          cause.toString());
    }
  }

  void answered() {
    if (!failing) {
      return;
    }
    long failures;
    lock.lock();
    try {
      if (!failing) {
        return;
      }
      failing = false;
      failures = outageFailures;
      outageFailures = 0;
      unreported = 0;
    } finally {
      lock.unlock();
    }
    log.info(
        "redis rate limiter '{}': Redis answers again after {} failed requests", name, failures);
  }
}
