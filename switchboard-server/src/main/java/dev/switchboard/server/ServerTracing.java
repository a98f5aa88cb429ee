package dev.switchboard.server;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * OpenTelemetry for the server: off by default ({@code tracing.enabled}), then configured by the
 * SDK's autoconfiguration from the standard {@code OTEL_*} variables (exporter endpoint and
 * protocol, service name, sampler), with {@code tracing.sampling_ratio} when set as a parent-based
 * ratio sampler. Spans follow W3C trace context: a caller's {@code traceparent} is their parent.
 * Off, every span is OpenTelemetry's no-op and costs a few calls.
 *
 * <p>Only traces are exported; metrics go to {@code /metrics} and logs to the console.
 */
final class ServerTracing implements AutoCloseable {

  static final String SCOPE = "dev.switchboard.server";

  /**
   * The attribute a span is started with when {@link #sampleRoot} already chose to keep its trace:
   * the SDK's sampler ({@link Presampled}) then keeps it without drawing again.
   */
  static final AttributeKey<Boolean> PRESAMPLED = AttributeKey.booleanKey("switchboard.presampled");

  private final OpenTelemetry otel;
  private final Optional<OpenTelemetrySdk> sdk;
  private final Tracer tracer;
  private final OptionalDouble rootRatio;

  private ServerTracing(
      OpenTelemetry otel, Optional<OpenTelemetrySdk> sdk, OptionalDouble rootRatio) {
    this.otel = otel;
    this.sdk = sdk;
    this.rootRatio = rootRatio;
    this.tracer = otel.getTracer(SCOPE, Version.current());
  }

  /** No spans at all. */
  static ServerTracing off() {
    return new ServerTracing(OpenTelemetry.noop(), Optional.empty(), OptionalDouble.empty());
  }

  /**
   * For a trace this server starts on a hot path (a JSON-RPC call without a {@code traceparent}):
   * empty when {@code tracing.sampling_ratio} is not set (ask the SDK), else whether to keep it,
   * drawn here so that the dropped ones cost no span at all. A kept one is started with {@link
   * #PRESAMPLED}. Asking the SDK for a span it then drops was most of tracing's cost at a 1% ratio:
   * a random trace id turned into hex, the sampler, its own counters (docs/benchmarks.md).
   */
  Optional<Boolean> sampleRoot() {
    if (rootRatio.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ThreadLocalRandom.current().nextDouble() < rootRatio.getAsDouble());
  }

  /**
   * @throws IllegalArgumentException when the SDK refuses the settings (an unknown protocol or
   *     sampler, say)
   */
  static ServerTracing create(Observability.Tracing config) {
    if (!config.enabled()) {
      return off();
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", "switchboard");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    // The OTEL_* variables as the properties they stand for (OTEL_SERVICE_NAME: otel.service.name).
    config
        .otelEnvironment()
        .forEach(
            (name, value) -> defaults.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value));
    OpenTelemetrySdk sdk;
    try {
      sdk = autoconfigure(config, defaults);
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException(
          "invalid tracing settings (tracing.*, OTEL_* variables): " + e.getMessage(), e);
    }
    return new ServerTracing(sdk, Optional.of(sdk), config.samplingRatio());
  }

  private static OpenTelemetrySdk autoconfigure(
      Observability.Tracing config, Map<String, String> defaults) {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .disableShutdownHook()
        .addPropertiesSupplier(() -> defaults)
        .addSamplerCustomizer((sampler, properties) -> new Presampled(sampler))
        .addPropertiesCustomizer(
            properties -> {
              Map<String, String> overrides = new HashMap<>();
              config
                  .samplingRatio()
                  .ifPresent(
                      ratio -> {
                        overrides.put("otel.traces.sampler", "parentbased_traceidratio");
                        overrides.put("otel.traces.sampler.arg", Double.toString(ratio));
                      });
              return overrides;
            })
        .build()
        .getOpenTelemetrySdk();
  }

  Tracer tracer() {
    return tracer;
  }

  /** Whether spans are made and exported. */
  boolean enabled() {
    return sdk.isPresent();
  }

  /**
   * The context a caller's W3C headers ({@code traceparent}, {@code tracestate}) carry, read by
   * {@code header}; the root context when they carry none.
   */
  Context extract(Function<String, String> header) {
    return otel.getPropagators().getTextMapPropagator().extract(Context.root(), header, HEADERS);
  }

  /** Writes {@code context}'s W3C headers into {@code carrier}. */
  <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    otel.getPropagators().getTextMapPropagator().inject(context, carrier, setter);
  }

  /** A span named {@code name} of {@code kind} under {@code parent}, started now. */
  Span start(String name, SpanKind kind, Context parent) {
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
  }

  /** A span that began at {@code start} (epoch nanos) under {@code parent}, made after the fact. */
  Span startedAt(String name, Context parent, long startEpochNanos) {
    return tracer
        .spanBuilder(name)
        .setParent(parent)
        .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
        .startSpan();
  }

  /** Now, in epoch nanoseconds, as span timestamps are. */
  static long epochNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }

  /** Exports what is buffered and stops. */
  @Override
  public void close() {
    sdk.ifPresent(s -> s.shutdown().join(5, TimeUnit.SECONDS));
  }

  /** The configured sampler, but for spans {@link #sampleRoot} kept already. */
  record Presampled(Sampler configured) implements Sampler {
    @Override
    public SamplingResult shouldSample(
        Context parent,
        String traceId,
        String name,
        SpanKind kind,
        Attributes attributes,
        List<LinkData> links) {
      return Boolean.TRUE.equals(attributes.get(PRESAMPLED))
          ? SamplingResult.recordAndSample()
          : configured.shouldSample(parent, traceId, name, kind, attributes, links);
    }

    @Override
    public String getDescription() {
      return "Presampled{" + configured.getDescription() + "}";
    }
  }

  private static final TextMapGetter<Function<String, String>> HEADERS =
      new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation") // still abstract in TextMapGetter
        public Iterable<String> keys(Function<String, String> carrier) {
          return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
          return carrier == null ? null : carrier.apply(key);
        }
      };
}
