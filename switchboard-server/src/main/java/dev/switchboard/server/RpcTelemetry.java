package dev.switchboard.server;

import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.TraceContext;
import dev.switchboard.rpc.RpcObserver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every JSON-RPC call a device connection serves or makes, as metrics ({@code
 * switchboard_rpc_server_calls_seconds}, {@code switchboard_rpc_client_calls_seconds}, by method
 * and outcome) and, with tracing on, as spans following OpenTelemetry's RPC conventions ({@code
 * rpc.system = jsonrpc}, {@code rpc.method}, {@code rpc.jsonrpc.error_code}): a call served is a
 * {@code SERVER} span under the caller's {@code traceparent} member, a call made a {@code CLIENT}
 * span whose context goes out in the request's {@code traceparent}. Messages a connection's rate
 * limit refused (-32008) count as {@code websocket_message} denials, every other served one as
 * allowed.
 *
 * <p>Labels stay bounded: methods are those the server exposes or calls (a peer's unknown method is
 * {@link RpcObserver#UNKNOWN_METHOD}); outcomes are {@code ok} or a code of JSON-RPC's reserved
 * range (-32768 to -32000), any other code being {@code application}.
 */
final class RpcTelemetry implements RpcObserver {

  private final ServerTracing tracing;
  private final ServerCounters counters;
  private final Side served;
  private final Side made;

  RpcTelemetry(ServerTracing tracing, ServerMeters meters, ServerCounters counters) {
    this.tracing = tracing;
    this.counters = counters;
    this.served =
        new Side(
            meters.histogram(
                "switchboard_rpc_server_calls_seconds",
                "JSON-RPC calls and notifications devices made to the server, by method and outcome",
                List.of("method", "outcome")),
            meters.enabled());
    this.made =
        new Side(
            meters.histogram(
                "switchboard_rpc_client_calls_seconds",
                "JSON-RPC calls and notifications the server made to devices, by method and outcome",
                List.of("method", "outcome")),
            meters.enabled());
  }

  @Override
  public Observation serving(String method, Optional<TraceContext> incoming) {
    long start = System.nanoTime();
    if (tracing.enabled()) {
      Optional<Boolean> keep = incoming.isEmpty() ? tracing.sampleRoot() : Optional.empty();
      if (keep.isPresent() && !keep.get()) {
        return code -> servedEnded(method, code, start); // a root the ratio drops: no span at all
      }
      Context parent =
          incoming.isEmpty() ? Context.root() : tracing.extract(header -> header(incoming, header));
      Span span = span(method, SpanKind.SERVER, parent, keep.isPresent());
      if (span.isRecording()) {
        return traced(method, start, parent.with(span), span);
      }
      // Not sampled: no scope either. Making one current costs a thread-local map on each
      // handler's new virtual thread (about 0.3-0.5 us a call, docs/benchmarks.md); the price is
      // that a call the handler makes starts a trace of its own, sampled at the ratio.
    }
    return code -> servedEnded(method, code, start);
  }

  private Observation traced(String method, long start, Context context, Span span) {
    return new Observation() {
      @Override
      public Runnable around(Runnable handler) {
        return context.wrap(handler);
      }

      @Override
      public void ended(OptionalInt code) {
        servedEnded(method, code, start);
        end(span, code);
      }
    };
  }

  private void servedEnded(String method, OptionalInt code, long start) {
    counters.rateLimited(
        ServerCounters.RateLimitKind.WEBSOCKET_MESSAGE, code.orElse(0) != ErrorObject.RATE_LIMITED);
    served.record(method, code, start);
  }

  @Override
  public Observation calling(String method) {
    long start = System.nanoTime();
    if (!tracing.enabled()) {
      return code -> made.record(method, code, start);
    }
    Context parent = Context.current();
    Optional<Boolean> keep =
        Span.fromContext(parent).getSpanContext().isValid()
            ? Optional.empty()
            : tracing.sampleRoot();
    if (keep.isPresent() && !keep.get()) {
      return code -> made.record(method, code, start);
    }
    Span span = span(method, SpanKind.CLIENT, parent, keep.isPresent());
    return new Observation() {
      @Override
      public Optional<TraceContext> outgoing() {
        Map<String, String> headers = new HashMap<>();
        tracing.inject(parent.with(span), headers, MAP_SETTER);
        return Optional.ofNullable(headers.get("traceparent"))
            .flatMap(
                traceparent ->
                    TraceContext.parse(
                        traceparent, Optional.ofNullable(headers.get("tracestate"))));
      }

      @Override
      public void ended(OptionalInt code) {
        made.record(method, code, start);
        end(span, code);
      }
    };
  }

  /**
   * The call's span; its attributes only when it records (most do not, at a low sampling ratio, and
   * setting them on the builder was a third of tracing's cost on the RPC path).
   */
  private Span span(String method, SpanKind kind, Context parent, boolean presampled) {
    SpanBuilder builder = tracing.tracer().spanBuilder(method).setSpanKind(kind).setParent(parent);
    if (presampled) {
      builder.setAttribute(ServerTracing.PRESAMPLED, true);
    }
    Span span = builder.startSpan();
    if (span.isRecording()) {
      span.setAttribute("rpc.system", "jsonrpc")
          .setAttribute("rpc.method", method)
          .setAttribute("rpc.jsonrpc.version", "2.0");
    }
    return span;
  }

  private static void end(Span span, OptionalInt code) {
    if (code.isPresent() && span.isRecording()) {
      span.setAttribute("rpc.jsonrpc.error_code", code.getAsInt());
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  private static String header(Optional<TraceContext> incoming, String name) {
    return switch (name) {
      case "traceparent" -> incoming.map(TraceContext::traceparent).orElse(null);
      case "tracestate" -> incoming.flatMap(TraceContext::tracestate).orElse(null);
      default -> null;
    };
  }

  private static final TextMapSetter<Map<String, String>> MAP_SETTER = Map::put;

  /**
   * The outcome label of {@code code}: {@code ok}, a reserved-range code, or {@code application}.
   */
  static String outcome(OptionalInt code) {
    if (code.isEmpty()) {
      return "ok";
    }
    int c = code.getAsInt();
    return c >= -32768 && c <= -32000 ? Integer.toString(c) : "application";
  }

  /** The series of one side, by method then outcome; each made once. */
  private static final class Side {
    private final SecondsHistogram histogram;
    private final boolean enabled;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, SecondsHistogram.Child>>
        series = new ConcurrentHashMap<>();

    Side(SecondsHistogram histogram, boolean enabled) {
      this.histogram = histogram;
      this.enabled = enabled;
    }

    void record(String method, OptionalInt code, long startNanos) {
      if (!enabled) {
        return;
      }
      String outcome = outcome(code);
      ConcurrentHashMap<String, SecondsHistogram.Child> byOutcome = series.get(method);
      if (byOutcome == null) {
        byOutcome = series.computeIfAbsent(method, m -> new ConcurrentHashMap<>());
      }
      SecondsHistogram.Child child = byOutcome.get(outcome);
      if (child == null) {
        child = byOutcome.computeIfAbsent(outcome, o -> histogram.labels(method, o));
      }
      child.record(System.nanoTime() - startNanos);
    }
  }
}
