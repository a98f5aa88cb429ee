package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SequentialStatsTest {

  @Test
  void percentilesAreNearestRankLikeTheNodeBenchmark() {
    // 1..1000 µs, shuffled: sorted[ceil(p * n) - 1]
    long[] nanos =
        LongStream.rangeClosed(1, 1000).map(i -> ((i * 7919) % 1000 + 1) * 1000).toArray();

    SequentialStats stats = SequentialStats.ofNanos(nanos);

    assertThat(stats.calls()).isEqualTo(1000);
    assertThat(stats.p50us()).isEqualTo(500.0);
    assertThat(stats.p90us()).isEqualTo(900.0);
    assertThat(stats.p99us()).isEqualTo(990.0);
    assertThat(stats.p999us()).isEqualTo(999.0);
    assertThat(stats.meanUs()).isEqualTo(500.5);
  }

  @Test
  void smallSamplesRoundUpToTheNextRank() {
    long[] sorted = {10, 20, 30};

    assertThat(SequentialStats.percentile(sorted, 0.5)).isEqualTo(20); // ceil(1.5) - 1 = 1
    assertThat(SequentialStats.percentile(sorted, 0.9)).isEqualTo(30);
    assertThat(SequentialStats.percentile(sorted, 0.999)).isEqualTo(30);
    assertThat(SequentialStats.percentile(new long[] {42}, 0.5)).isEqualTo(42);
  }

  @Test
  void microsecondsKeepThreeDecimals() {
    SequentialStats stats = SequentialStats.ofNanos(new long[] {123_456});

    assertThat(stats.p50us()).isEqualTo(123.456);
  }

  @Test
  void leavesTheCallersArrayAlone() {
    long[] nanos = {3, 1, 2};

    SequentialStats.ofNanos(nanos);

    assertThat(nanos).containsExactly(3, 1, 2);
  }

  @Test
  void refusesAnEmptySample() {
    assertThatThrownBy(() -> SequentialStats.ofNanos(new long[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
