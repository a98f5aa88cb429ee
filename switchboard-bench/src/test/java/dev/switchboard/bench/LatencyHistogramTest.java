package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void percentilesAreAtMostATenthOfAPercentAboveTheTrueValue() {
    LatencyHistogram h = new LatencyHistogram();
    for (long us = 1; us <= 1000; us++) {
      h.record(us * 1000);
    }

    assertThat(h.count()).isEqualTo(1000);
    assertThat(h.percentileNanos(0.5)).isBetween(500_000L, 500_000L + 500_000 / 1000);
    assertThat(h.percentileNanos(0.99)).isBetween(990_000L, 990_000L + 990_000 / 1000);
    assertThat(h.percentileNanos(1.0)).isEqualTo(1_000_000);
    assertThat(h.meanNanos()).isEqualTo(500_500.0);
  }

  @Test
  void statsAreInMillisecondsAndCappedAtTheMaximum() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(2_500_000);

    LatencyStats stats = h.stats();

    assertThat(stats).isEqualTo(new LatencyStats(1, 2.5, 2.5, 2.5, 2.5, 2.5));
  }

  @Test
  void negativeLatenciesCountAsZero() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5);

    assertThat(h.percentileNanos(0.5)).isZero();
  }

  @Test
  void anEmptyHistogramHasEmptyStatsAndNoPercentiles() {
    LatencyHistogram h = new LatencyHistogram();

    assertThat(h.stats()).isEqualTo(LatencyStats.EMPTY);
    assertThatThrownBy(() -> h.percentileNanos(0.5)).isInstanceOf(IllegalStateException.class);
  }
}
