package dev.switchboard.resilience;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link RateLimiter} per key (an API key, a client address), each created on the key's first use
 * from one config and named {@code name[key]}. At most {@code maxKeys} are kept: inserting one more
 * drops the least recently used; a key untouched for {@code idleAfter} is dropped on a later
 * access, so no background thread runs. A dropped key starts again with a full bucket: choose
 * {@code idleAfter} at least the time the bucket takes to refill ({@code burst / rate * period}) so
 * that dropping forgives nothing.
 *
 * <p>Thread-safe. Finding a key's limiter takes a short {@link ReentrantLock} (no monitor, no
 * waiting inside); taking its permit is the limiter's own lock-free operation, outside that lock.
 *
 * @param <K> the key type; needs proper {@code equals} and {@code hashCode}
 */
public final class KeyedRateLimiter<K> {

  private final String name;
  private final KeyedRateLimiterConfig config;
  private final Ticker ticker;
  private final long idleNanos;
  private final ReentrantLock lock = new ReentrantLock();

  /** In access order, least recent first; guarded by {@link #lock}. */
  private final LinkedHashMap<K, Entry> limiters = new LinkedHashMap<>(16, 0.75f, true);

  /** A key's limiter and when it was last used; {@code lastUsed} is guarded by {@link #lock}. */
  private static final class Entry {
    final RateLimiter limiter;
    long lastUsed;

    Entry(RateLimiter limiter, long lastUsed) {
      this.limiter = limiter;
      this.lastUsed = lastUsed;
    }
  }

  private KeyedRateLimiter(String name, KeyedRateLimiterConfig config) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.ticker = config.limiter().ticker();
    long idle;
    try {
      idle = config.idleAfter().toNanos();
    } catch (ArithmeticException e) {
      idle = Long.MAX_VALUE;
    }
    this.idleNanos = idle;
  }

  public static <K> KeyedRateLimiter<K> of(String name, KeyedRateLimiterConfig config) {
    return new KeyedRateLimiter<>(name, config);
  }

  public String name() {
    return name;
  }

  public KeyedRateLimiterConfig config() {
    return config;
  }

  /** Takes one permit of {@code key}'s limiter if one is free now; never waits. */
  public RateLimiter.Result tryAcquire(K key) {
    return limiter(key).tryAcquire();
  }

  /** Takes {@code permits} of {@code key}'s limiter if all are free now; never waits. */
  public RateLimiter.Result tryAcquire(K key, int permits) {
    return limiter(key).tryAcquire(permits);
  }

  /**
   * {@code key}'s limiter, created if absent (for {@link RateLimiter#call}, its events, or
   * waiting). Counts as a use of the key.
   */
  public RateLimiter limiter(K key) {
    Objects.requireNonNull(key, "key");
    long now = ticker.nanos();
    lock.lock();
    try {
      dropIdle(now);
      Entry entry = limiters.get(key);
      if (entry == null) {
        if (limiters.size() >= config.maxKeys()) {
          Iterator<Entry> eldest = limiters.values().iterator();
          eldest.next();
          eldest.remove();
        }
        entry = new Entry(RateLimiter.of(name + "[" + key + "]", config.limiter()), now);
        limiters.put(key, entry);
      }
      entry.lastUsed = Math.max(entry.lastUsed, now);
      return entry.limiter;
    } finally {
      lock.unlock();
    }
  }

  /** Keys kept now, including idle ones not yet dropped. */
  public int size() {
    lock.lock();
    try {
      return limiters.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops idle keys from the least recently used end; stops at the first one in use, so O(dropped).
   */
  private void dropIdle(long now) {
    Iterator<Map.Entry<K, Entry>> it = limiters.entrySet().iterator();
    while (it.hasNext()) {
      if (now - it.next().getValue().lastUsed < idleNanos) {
        return;
      }
      it.remove();
    }
  }
}
