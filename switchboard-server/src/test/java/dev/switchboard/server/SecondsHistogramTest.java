package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SecondsHistogramTest {

  private final SecondsHistogram histogram =
      new SecondsHistogram(
          "test_latency_seconds",
          "a test",
          Duration.ofMillis(1),
          Duration.ofMillis(5),
          Duration.ofSeconds(30));

  private String scrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.getPrometheusRegistry().register(histogram);
    return registry.scrape();
  }

  @Test
  void bucketsAreCumulativeWithTheirBoundInclusiveAndTheRestBeyondTheLast() {
    histogram.record(Duration.ofMillis(1).toNanos()); // on the bound: in it
    histogram.record(Duration.ofMillis(3).toNanos());
    histogram.record(Duration.ofSeconds(40).toNanos()); // beyond every bound
    histogram.record(-5); // a clock step back counts as 0

    assertThat(scrape())
        .contains("# TYPE test_latency_seconds histogram")
        .contains("test_latency_seconds_bucket{le=\"0.001\"} 2")
        .contains("test_latency_seconds_bucket{le=\"0.005\"} 3")
        .contains("test_latency_seconds_bucket{le=\"30.0\"} 3")
        .contains("test_latency_seconds_bucket{le=\"+Inf\"} 4")
        .contains("test_latency_seconds_count 4")
        .contains("test_latency_seconds_sum 40.004");
    assertThat(histogram.count()).isEqualTo(4);
  }

  @Test
  void boundsMustAscend() {
    assertThatThrownBy(
            () ->
                new SecondsHistogram(
                    "x_seconds", "x", Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ascend");
  }
}
