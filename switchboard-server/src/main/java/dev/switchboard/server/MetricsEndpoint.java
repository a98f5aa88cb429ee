package dev.switchboard.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code GET /metrics}: the Prometheus text format, or OpenMetrics when the scraper's {@code
 * Accept} asks for {@code application/openmetrics-text}. Like {@code /health} it needs no API key:
 * it carries no user id, channel name or payload (docs/observability.md). The scrape runs on a
 * virtual thread (it reads every store's totals), never on the event loop.
 */
final class MetricsEndpoint {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final Optional<PrometheusMeterRegistry> registry;
  private final Runnable refresh;
  private final Executor handlers;

  /**
   * @param refresh run before each scrape ({@link StatsMeters#refresh})
   * @param handlers where scrapes run (virtual threads)
   */
  MetricsEndpoint(ServerMeters meters, Runnable refresh, Executor handlers) {
    this.registry = meters.prometheus();
    this.refresh = refresh;
    this.handlers = handlers;
  }

  void serve(HttpServerRequest request, HttpServerResponse response) {
    if (registry.isEmpty()) {
      JsonHttp.refuseEarly(
          request,
          response,
          ApiException.notFound("metrics are off on this server (metrics.enabled = false)"));
      return;
    }
    String type = contentType(Optional.ofNullable(request.getHeader("Accept")));
    Context loop = Vertx.currentContext();
    try {
      handlers.execute(
          () -> {
            refresh.run();
            String body = registry.get().scrape(type);
            loop.runOnContext(v -> response.putHeader("Content-Type", type).end(body));
          });
    } catch (RejectedExecutionException e) { // shutting down
      JsonHttp.refuseEarly(request, response, ApiException.shuttingDown());
    }
  }

  /** OpenMetrics when {@code accept} names it, else Prometheus' text format 0.0.4. */
  static String contentType(Optional<String> accept) {
    return accept
            .map(a -> a.toLowerCase(Locale.ROOT).contains("application/openmetrics-text"))
            .orElse(false)
        ? OPEN_METRICS
        : PROMETHEUS_TEXT;
  }
}
