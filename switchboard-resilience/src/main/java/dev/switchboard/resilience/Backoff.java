package dev.switchboard.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long {@link Retry} waits before each retry: constant, linear or exponential, optionally with
 * jitter. Immutable; the factories validate their arguments.
 *
 * <p>With jitter factor {@code f} a computed delay {@code d} becomes a uniformly random value in
 * {@code [d * (1 - f), d * (1 + f)]}, drawn from the retry's injected random source.
 */
public final class Backoff {

  private enum Kind {
    CONSTANT,
    LINEAR,
    EXPONENTIAL
  }

  private final Kind kind;
  private final long initialNanos;
  private final long incrementNanos;
  private final double multiplier;
  private final long maxNanos;
  private final double jitter;

  private Backoff(
      Kind kind,
      long initialNanos,
      long incrementNanos,
      double multiplier,
      long maxNanos,
      double jitter) {
    this.kind = kind;
    this.initialNanos = initialNanos;
    this.incrementNanos = incrementNanos;
    this.multiplier = multiplier;
    this.maxNanos = maxNanos;
    this.jitter = jitter;
  }

  /** The same {@code delay} before every retry. */
  public static Backoff constant(Duration delay) {
    return new Backoff(Kind.CONSTANT, nanos("delay", delay), 0, 1, Long.MAX_VALUE, 0);
  }

  /**
   * {@code initial}, then {@code initial + increment}, {@code initial + 2 * increment}, ... capped
   * at {@code max}.
   */
  public static Backoff linear(Duration initial, Duration increment, Duration max) {
    return new Backoff(
        Kind.LINEAR,
        nanos("initial", initial),
        nanos("increment", increment),
        1,
        maxNanos(initial, max),
        0);
  }

  /**
   * {@code initial}, then multiplied by {@code multiplier} (at least 1) before each further retry,
   * capped at {@code max}.
   */
  public static Backoff exponential(Duration initial, double multiplier, Duration max) {
    Check.between("multiplier", multiplier, 1.0, 1000.0);
    return new Backoff(
        Kind.EXPONENTIAL, nanos("initial", initial), 0, multiplier, maxNanos(initial, max), 0);
  }

  /** This backoff with jitter: {@code factor} between 0 (none) and 1. */
  public Backoff withJitter(double factor) {
    Check.between("jitter", factor, 0.0, 1.0);
    return new Backoff(kind, initialNanos, incrementNanos, multiplier, maxNanos, factor);
  }

  /** The delay before retry number {@code retry} (1 for the first retry), never negative. */
  public Duration delay(int retry, RandomGenerator random) {
    return Duration.ofNanos(delayNanos(retry, random));
  }

  long delayNanos(int retry, RandomGenerator random) {
    Check.atLeast("retry", retry, 1);
    double base =
        switch (kind) {
          case CONSTANT -> initialNanos;
          case LINEAR -> initialNanos + (double) incrementNanos * (retry - 1);
          case EXPONENTIAL -> initialNanos * Math.pow(multiplier, retry - 1);
        };
    base = Math.min(base, maxNanos);
    if (jitter > 0) {
      Objects.requireNonNull(random, "random");
      base = base * (1 + jitter * (2 * random.nextDouble() - 1));
    }
    return (long) Math.max(0, Math.min(base, (double) Long.MAX_VALUE));
  }

  private static long nanos(String setting, Duration value) {
    return Deadline.saturatedNanos(Check.notNegative(setting, value));
  }

  private static long maxNanos(Duration initial, Duration max) {
    long m = nanos("max", max);
    if (m < Deadline.saturatedNanos(initial)) {
      throw new IllegalArgumentException(
          "max must be at least initial (" + initial + "), got " + max);
    }
    return m;
  }

  @Override
  public String toString() {
    return "Backoff["
        + kind
        + ", initial="
        + Duration.ofNanos(initialNanos)
        + ", increment="
        + Duration.ofNanos(incrementNanos)
        + ", multiplier="
        + multiplier
        + ", max="
        + Duration.ofNanos(maxNanos)
        + ", jitter="
        + jitter
        + "]";
  }
}
