package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

  /** A random source that always answers {@code value}. */
  static RandomGenerator fixed(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  private static final RandomGenerator UNUSED = fixed(0.5);

  @Test
  void constantWaitsTheSameBeforeEveryRetry() {
    Backoff backoff = Backoff.constant(Duration.ofMillis(250));
    assertThat(backoff.delay(1, UNUSED)).isEqualTo(Duration.ofMillis(250));
    assertThat(backoff.delay(7, UNUSED)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void linearAddsTheIncrementUpToTheMaximum() {
    Backoff backoff =
        Backoff.linear(Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(220));
    assertThat(backoff.delay(1, UNUSED)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(2, UNUSED)).isEqualTo(Duration.ofMillis(150));
    assertThat(backoff.delay(3, UNUSED)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delay(4, UNUSED)).isEqualTo(Duration.ofMillis(220));
  }

  @Test
  void exponentialMultipliesUpToTheMaximumWithoutOverflow() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(10), 3.0, Duration.ofSeconds(1));
    assertThat(backoff.delay(1, UNUSED)).isEqualTo(Duration.ofMillis(10));
    assertThat(backoff.delay(3, UNUSED)).isEqualTo(Duration.ofMillis(90));
    assertThat(backoff.delay(1_000, UNUSED)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void jitterSpreadsTheDelayByTheFactorBothWays() {
    Backoff backoff = Backoff.constant(Duration.ofMillis(1000)).withJitter(0.2);
    assertThat(backoff.delay(1, fixed(0.0))).isEqualTo(Duration.ofMillis(800));
    assertThat(backoff.delay(1, fixed(0.5))).isEqualTo(Duration.ofMillis(1000));
    assertThat(backoff.delay(1, fixed(0.75))).isEqualTo(Duration.ofMillis(1100));
  }

  @Property
  void aJitteredDelayStaysWithinTheFactor(
      @ForAll @DoubleRange(min = 0, max = 1) double factor,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random,
      @ForAll @IntRange(min = 1, max = 50) int retry) {
    Backoff backoff =
        Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(10)).withJitter(factor);
    long base =
        Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(10))
            .delayNanos(retry, UNUSED);
    long delay = backoff.delayNanos(retry, fixed(random));
    assertThat(delay).isBetween((long) (base * (1 - factor)) - 1, (long) (base * (1 + factor)) + 1);
  }

  @Property
  void aJitterOutsideZeroToOneIsRejected(@ForAll double factor) {
    Assume.that(!(factor >= 0 && factor <= 1));
    assertThatThrownBy(() -> Backoff.constant(Duration.ofMillis(1)).withJitter(factor))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("jitter must be between 0.0 and 1.0");
  }

  @Test
  void invalidArgumentsAreRejectedNamingThem() {
    assertThatThrownBy(() -> Backoff.constant(Duration.ofMillis(-1)))
        .hasMessageStartingWith("delay must not be");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(1), 0.5, Duration.ofSeconds(1)))
        .hasMessage("multiplier must be between 1.0 and 1000.0, got 0.5");
    assertThatThrownBy(
            () -> Backoff.linear(Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("max must be at least initial (PT2S), got PT1S");
  }
}
