package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The refill schedule is exact integer arithmetic, on both of its paths (a whole number of nanos
 * per token, and any other rate): checked against arbitrary-precision arithmetic.
 */
class RateLimiterRefillTest {

  /**
   * floor(elapsed * rate / period); cases whose token count would not fit a long are not asked
   * about.
   */
  private static long floor(long elapsed, long rate, long period) {
    BigInteger tokens =
        BigInteger.valueOf(elapsed)
            .multiply(BigInteger.valueOf(rate))
            .divide(BigInteger.valueOf(period));
    Assume.that(tokens.bitLength() < 62);
    return tokens.longValueExact();
  }

  @Property
  void tokensProducedAreFloorOfElapsedTimesRateOverPeriod(
      @ForAll @IntRange(min = 1, max = 1_000_000) int rate,
      @ForAll @LongRange(min = 1, max = 3_600_000_000_000L) long period,
      @ForAll @LongRange(min = 0, max = 86_400_000_000_000L) long elapsed) {
    RateLimiterRefill refill = new RateLimiterRefill(rate, period);
    assertThat(refill.produced(elapsed)).isEqualTo(floor(elapsed, rate, period));
  }

  @Property
  void aWholeNumberOfNanosPerTokenTakesTheShortPathWithTheSameAnswers(
      @ForAll @IntRange(min = 1, max = 1_000_000) int rate,
      @ForAll @IntRange(min = 1, max = 1_000_000) int nanos,
      @ForAll @LongRange(min = 0, max = 86_400_000_000_000L) long elapsed) {
    long period = (long) rate * nanos;
    RateLimiterRefill refill = new RateLimiterRefill(rate, period);
    assertThat(refill.nanosPerToken()).isEqualTo(nanos);
    assertThat(refill.produced(elapsed)).isEqualTo(floor(elapsed, rate, period));
  }

  @Property
  void nanosUntilIsTheFirstMomentTheTokensExist(
      @ForAll @IntRange(min = 1, max = 1_000_000) int rate,
      @ForAll @LongRange(min = 1, max = 3_600_000_000_000L) long period,
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long elapsed,
      @ForAll @IntRange(min = 1, max = 10_000) int ahead) {
    RateLimiterRefill refill = new RateLimiterRefill(rate, period);
    long tokens = refill.produced(elapsed) + ahead;
    long wait = refill.nanosUntil(tokens, elapsed);
    assertThat(wait).isPositive();
    assertThat(refill.produced(elapsed + wait)).isGreaterThanOrEqualTo(tokens);
    assertThat(refill.produced(elapsed + wait - 1)).isLessThan(tokens);
  }
}
