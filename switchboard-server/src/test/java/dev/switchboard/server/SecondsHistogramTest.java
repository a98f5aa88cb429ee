package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecondsHistogramTest {

  private final SecondsHistogram histogram =
      new SecondsHistogram(
          "test_latency_seconds",
          "a test",
          List.of("method"),
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
    SecondsHistogram.Child ping = histogram.labels("ping");
    ping.record(Duration.ofMillis(1).toNanos()); // on the bound: in it
    ping.record(Duration.ofMillis(3).toNanos());
    ping.record(Duration.ofSeconds(40).toNanos()); // beyond every bound
    ping.record(-5); // a clock step back counts as 0
    histogram.labels("ack").record(Duration.ofMillis(2).toNanos());

    assertThat(scrape())
        .contains("# TYPE test_latency_seconds histogram")
        .contains("test_latency_seconds_bucket{method=\"ping\",le=\"0.001\"} 2")
        .contains("test_latency_seconds_bucket{method=\"ping\",le=\"0.005\"} 3")
        .contains("test_latency_seconds_bucket{method=\"ping\",le=\"30.0\"} 3")
        .contains("test_latency_seconds_bucket{method=\"ping\",le=\"+Inf\"} 4")
        .contains("test_latency_seconds_count{method=\"ping\"} 4")
        .contains("test_latency_seconds_sum{method=\"ping\"} 40.004")
        .contains("test_latency_seconds_count{method=\"ack\"} 1");
    assertThat(ping.count()).isEqualTo(4);
    assertThat(histogram.labels("ping")).as("one child per label values").isSameAs(ping);
  }

  @Test
  void labelValuesMustMatchTheLabelNames() {
    assertThatThrownBy(() -> histogram.labels("a", "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[method]");
  }

  @Test
  void boundsMustAscend() {
    assertThatThrownBy(
            () ->
                new SecondsHistogram(
                    "x_seconds", "x", List.of(), Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ascend");
  }
}
