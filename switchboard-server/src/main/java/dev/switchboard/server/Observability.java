package dev.switchboard.server;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the server tells about itself: Prometheus metrics at {@code /metrics}, OpenTelemetry traces
 * and the log format (docs/observability.md).
 *
 * @param metrics whether {@code /metrics} is served and latency histograms are recorded ({@code
 *     metrics.enabled}); the counters behind {@code /stats} count either way
 * @param logFormat {@code logging.format}
 * @param tracing {@code tracing.*} and the {@code OTEL_*} environment
 */
public record Observability(boolean metrics, LogFormat logFormat, Tracing tracing) {

  /** Metrics on, plain-text logs, tracing off. */
  public static final Observability DEFAULTS = new Observability(true, LogFormat.TEXT, Tracing.OFF);

  public Observability {
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(tracing, "tracing");
  }

  public Observability withMetrics(boolean value) {
    return new Observability(value, logFormat, tracing);
  }

  public Observability withTracing(Tracing value) {
    return new Observability(metrics, logFormat, value);
  }

  public Observability withLogFormat(LogFormat value) {
    return new Observability(metrics, value, tracing);
  }

  /** How log lines look: for people ({@code text}) or one JSON object per line ({@code json}). */
  public enum LogFormat {
    TEXT,
    JSON;

    static LogFormat parse(String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "text" -> TEXT;
        case "json" -> JSON;
        default -> throw new IllegalArgumentException("not text or json: " + text);
      };
    }
  }

  /**
   * OpenTelemetry tracing.
   *
   * @param enabled {@code tracing.enabled}; off, no span is made and nothing is exported
   * @param samplingRatio {@code tracing.sampling_ratio}, 0 to 1, of the traces this server starts
   *     (a caller's sampled {@code traceparent} is followed); empty: the {@code
   *     OTEL_TRACES_SAMPLER} variables decide, and without them every trace is kept
   * @param otelEnvironment the standard {@code OTEL_*} variables (exporter endpoint and protocol,
   *     service name, sampler, ...), read by the SDK's autoconfiguration
   */
  public record Tracing(
      boolean enabled, OptionalDouble samplingRatio, Map<String, String> otelEnvironment) {

    public static final Tracing OFF = new Tracing(false, OptionalDouble.empty(), Map.of());

    public Tracing {
      Objects.requireNonNull(samplingRatio, "samplingRatio");
      otelEnvironment = Map.copyOf(otelEnvironment);
      samplingRatio.ifPresent(Tracing::checkRatio);
    }

    /**
     * @return {@code ratio}
     * @throws IllegalArgumentException unless it is from 0 to 1 (NaN is not)
     */
    static double checkRatio(double ratio) {
      if (!(ratio >= 0 && ratio <= 1)) {
        throw new IllegalArgumentException(
            "tracing.sampling_ratio must be from 0 to 1, got " + ratio);
      }
      return ratio;
    }

    /** Tracing on, every trace this server starts kept, exporting where {@code otel} says. */
    public static Tracing on(Map<String, String> otelEnvironment) {
      return new Tracing(true, OptionalDouble.empty(), otelEnvironment);
    }

    public Tracing withSamplingRatio(double ratio) {
      return new Tracing(enabled, OptionalDouble.of(ratio), otelEnvironment);
    }
  }
}
