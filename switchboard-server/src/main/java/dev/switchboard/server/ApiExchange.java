package dev.switchboard.server;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.LongAdder;

/**
 * One HTTP request and its answer, from its head to the end of its answer: counted open meanwhile
 * (shutdown waits for none to be open), timed into {@code switchboard_http_requests_seconds}, and
 * traced as {@code http.request} under the caller's {@code traceparent} header. Counted out once,
 * at the end of its answer or of its connection, whichever comes first; both run on the
 * connection's event loop.
 */
final class ApiExchange {

  private final long start = System.nanoTime();
  private final String method;
  private final String route;
  private final HttpServerResponse response;
  private final ServerMeters meters;
  private final LongAdder open;
  private final Context context;
  private final Span span;
  private boolean over;

  private ApiExchange(
      HttpServerRequest request, String route, HttpApi.Observed observed, LongAdder open) {
    this.method = request.method().name();
    this.route = route;
    this.response = request.response();
    this.meters = observed.meters();
    this.open = open;
    ServerTracing tracing = observed.tracing();
    Context parent = tracing.extract(request::getHeader);
    this.span =
        tracing.enabled()
            ? tracing.start("http.request", SpanKind.SERVER, parent)
            : Span.getInvalid();
    if (span.isRecording()) { // attributes only on the spans kept: the sampled ones
      span.setAttribute("http.request.method", method)
          .setAttribute("http.route", route)
          .setAttribute("url.path", request.path());
    }
    this.context = parent.with(span);
  }

  /**
   * Opens the exchange of {@code request}, whose endpoint's template is {@code route} ({@code
   * unmatched} for none), counting it in {@code open} until it is over.
   */
  static ApiExchange begin(
      HttpServerRequest request, String route, HttpApi.Observed observed, LongAdder open) {
    ApiExchange exchange = new ApiExchange(request, route, observed, open);
    open.increment();
    exchange.response.endHandler(v -> exchange.answered()).closeHandler(v -> exchange.over());
    return exchange;
  }

  /** The caller's trace context with this request's span in it. */
  Context context() {
    return context;
  }

  /** The answer was sent in full. */
  private void answered() {
    int status = response.getStatusCode();
    meters.httpRequest(method, route, status, System.nanoTime() - start);
    span.setAttribute("http.response.status_code", status);
    if (status >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    over();
  }

  /** The answer was sent, or the connection closed before. */
  private void over() {
    if (!over) {
      over = true;
      open.decrement();
      span.end();
    }
  }
}
