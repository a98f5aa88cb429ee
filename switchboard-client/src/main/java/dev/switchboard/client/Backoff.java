package dev.switchboard.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the wait before attempt {@code n} (0 first) is uniform in
 * {@code [0, min(max, base * 2^n)]}, so that clients dropped together do not come back together.
 *
 * @param base the ceiling of the first wait
 * @param max the largest ceiling
 */
public record Backoff(Duration base, Duration max) {

  /** 0.5 s doubling up to 20 s: what {@link PushClient} uses unless told otherwise. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(20));

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < base <= max, got base " + base + ", max " + max);
    }
  }

  /** The wait before attempt {@code attempt} (0 for the first retry), drawn from {@code random}. */
  public Duration delay(int attempt, RandomGenerator random) {
    long ceiling = max.toMillis();
    if (attempt < 31) {
      ceiling = Math.min(ceiling, base.toMillis() << attempt);
    }
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }
}
