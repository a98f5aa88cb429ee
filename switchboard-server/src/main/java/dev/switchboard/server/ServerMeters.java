package dev.switchboard.server;

import dev.switchboard.gateway.Outgoing;
import dev.switchboard.resilience.AdaptiveLimiter;
import dev.switchboard.resilience.Bulkhead;
import dev.switchboard.resilience.micrometer.ResilienceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The meters the server records as things happen (latencies, sizes, closes), in the one registry
 * that {@code /metrics} exports; the counts that {@code /stats} shows too are read from their own
 * counters by {@link StatsMeters}, so both answers read one source. With {@code metrics.enabled =
 * false} the registry is an empty composite: every meter is a no-op and {@link #prometheus} is
 * empty.
 *
 * <p>Label values are bounded: route templates, methods, status codes, transports, close codes (the
 * standard ones and our own, others as {@code other}), configured tenants. Never a user id, a
 * channel name or a notification id. Thread-safe; recording never blocks.
 */
final class ServerMeters {

  /** Buckets of the latency histograms, in seconds (Prometheus {@code le}). */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private static final Duration[] CONNECTION_BUCKETS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(10),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(30),
    Duration.ofHours(1),
    Duration.ofHours(4),
    Duration.ofHours(12),
    Duration.ofDays(1)
  };

  private static final java.util.Set<String> STANDARD_METHODS =
      java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  private final MeterRegistry registry;
  private final Optional<PrometheusMeterRegistry> prometheus;
  private final SecondsHistogram.Child deliveryLatency;
  private final boolean enabled;
  private final Timer ackLatency;
  private final DistributionSummary batchSizes;
  private final ConcurrentHashMap<String, Timer> httpRequests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> closes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> durations = new ConcurrentHashMap<>();

  private ServerMeters(MeterRegistry registry, Optional<PrometheusMeterRegistry> prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
    this.enabled = prometheus.isPresent();
    this.deliveryLatency =
        histogram(
                "switchboard_delivery_latency_seconds",
                "From a notification's send being accepted to its message being written to a"
                    + " device's connection",
                List.of())
            .labels();
    this.ackLatency =
        latency("switchboard.ack.latency")
            .description("From a notification's delivery to its ACK")
            .register(registry);
    this.batchSizes =
        DistributionSummary.builder("switchboard.batch.size")
            .description("Notifications per batch request")
            .serviceLevelObjectives(1, 5, 10, 25, 50, 100, 250, 500, 1000, 10_000)
            .register(registry);
  }

  /** A Prometheus registry when {@code enabled}, else meters that record nothing. */
  static ServerMeters create(boolean enabled) {
    if (!enabled) {
      return new ServerMeters(new CompositeMeterRegistry(), Optional.empty());
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Two of Micrometer's JVM names break Prometheus' naming rules (promtool check metrics): a
    // counter in "ns" and a gauge ending in "_count".
    prometheus
        .config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
              }
            });
    return new ServerMeters(prometheus, Optional.of(prometheus));
  }

  /**
   * A lean histogram with the latency buckets ({@link SecondsHistogram}), exported when metrics are
   * on, for what is recorded once per delivery or per call.
   */
  SecondsHistogram histogram(String name, String help, List<String> labelNames) {
    SecondsHistogram histogram = new SecondsHistogram(name, help, labelNames, LATENCY_BUCKETS);
    prometheus.ifPresent(p -> p.getPrometheusRegistry().register(histogram));
    return histogram;
  }

  /** A timer exported as a histogram with the latency buckets. */
  static Timer.Builder latency(String name) {
    return Timer.builder(name).serviceLevelObjectives(LATENCY_BUCKETS);
  }

  /**
   * Registers the JVM's and the process's meters (memory, GC, threads, classes, CPU, uptime, open
   * files) and those of the server's resilience instances ({@code switchboard_resilience_*},
   * docs/resilience-micrometer.md).
   */
  void bindProcess(AdaptiveLimiter rpcHandlers, Bulkhead apiRequests) {
    for (MeterBinder binder :
        List.of(
            new JvmMemoryMetrics(),
            new JvmGcMetrics(),
            new JvmThreadMetrics(),
            new ClassLoaderMetrics(),
            new ProcessorMetrics(),
            new UptimeMetrics(),
            new FileDescriptorMetrics(),
            ResilienceMetrics.of(rpcHandlers),
            ResilienceMetrics.of(apiRequests))) {
      binder.bindTo(registry);
    }
  }

  /** Whether anything is exported ({@code metrics.enabled}). */
  boolean enabled() {
    return enabled;
  }

  /** Where every other meter of the server registers. */
  MeterRegistry registry() {
    return registry;
  }

  /** The registry {@code /metrics} scrapes; empty when metrics are off. */
  Optional<PrometheusMeterRegistry> prometheus() {
    return prometheus;
  }

  /** {@code message} is being written to a device: a notification's delivery latency ends. */
  void writing(Outgoing message) {
    if (enabled && message.priority().isPresent()) {
      deliveryLatency.record(System.nanoTime() - message.madeNanos());
    }
  }

  /** A delivery was acknowledged {@code latency} after it. */
  void acknowledged(Duration latency) {
    ackLatency.record(latency);
  }

  /** A batch request of {@code size} notifications was accepted. */
  void batch(int size) {
    batchSizes.record(size);
  }

  /**
   * An HTTP request was answered with {@code status} after {@code nanos}.
   *
   * @param route the path template of its endpoint, or {@code unmatched}
   */
  void httpRequest(String name, String route, int status, long nanos) {
    String method = STANDARD_METHODS.contains(name) ? name : "other";
    String key = method + ' ' + route + ' ' + status;
    Timer timer = httpRequests.get(key);
    if (timer == null) {
      timer =
          httpRequests.computeIfAbsent(
              key,
              k ->
                  latency("switchboard.http.requests")
                      .description("HTTP requests answered, by method, route template and status")
                      .tags("method", method, "route", route, "status", Integer.toString(status))
                      .register(registry));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A device's connection over {@code transport} closed with {@code code} after {@code nanos}.
   *
   * @param transport {@code ws}, {@code sse}, ...
   */
  void connectionClosed(String transport, int code, long nanos) {
    String label = transportLabel(transport);
    String codeLabel = closeCode(code);
    String key = label + ' ' + codeLabel;
    Counter counter = closes.get(key);
    if (counter == null) {
      counter =
          closes.computeIfAbsent(
              key,
              k ->
                  Counter.builder("switchboard.connections.closed")
                      .description("Device connections closed, by transport and close code")
                      .tags(Tags.of("transport", label, "code", codeLabel))
                      .register(registry));
    }
    counter.increment();
    Timer duration = durations.get(label);
    if (duration == null) {
      duration =
          durations.computeIfAbsent(
              label,
              k ->
                  Timer.builder("switchboard.connection.duration")
                      .description("How long device connections lasted, by transport")
                      .serviceLevelObjectives(CONNECTION_BUCKETS)
                      .tags("transport", label)
                      .register(registry));
    }
    duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** {@code ws} is {@code websocket} in labels; the rest keep their short name. */
  static String transportLabel(String transport) {
    return transport.equals("ws") ? "websocket" : transport;
  }

  /**
   * A close code as a label: those of RFC 6455 (1000-1015) and our own range (4000-4099) as they
   * are, any other as {@code other}, so that a peer cannot grow the series.
   */
  static String closeCode(int code) {
    if ((code >= 1000 && code <= 1015) || (code >= 4000 && code <= 4099)) {
      return Integer.toString(code);
    }
    return "other";
  }
}
