package dev.switchboard.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.resilience.Bulkhead;
import dev.switchboard.resilience.RateLimiter;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the server: applies CORS, takes each request but {@code /health} from its
 * caller's rate-limit budget (429 when spent, see {@link #withinRateLimit}), checks the API key,
 * reads a request body up to its limit (413 before parsing when it is larger), and hands the parsed
 * request to {@link ApiRoutes} on a virtual thread (a broadcast touches every device; the event
 * loop must not). Errors are {@code {"error": {"code", "message", "details"}}}; in production mode
 * an unexpected failure says only "internal error".
 */
final class HttpApi {

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private final ServerConfig config;
  private final ApiRoutes routes;
  private final Executor handlers;
  private final BooleanSupplier shuttingDown;
  private final RateLimitGate rateLimits;
  private final Cors cors;
  private final ApiAccess access;

  /** Exchanges open now: from a request's head to the end of its answer (or of its connection). */
  private final LongAdder exchanges = new LongAdder();

  /** Requests being handled at once ({@link LoadLimits#httpMaxConcurrentRequests()}). */
  private final Bulkhead inProgress;

  private final Observed observed;

  /**
   * What the HTTP API reports about its requests: metrics, traces, and unexpected failures for the
   * admin page.
   */
  record Observed(
      ServerMeters meters, MetricsEndpoint metrics, ServerTracing tracing, RecentEvents recent) {
    /** Nothing recorded; {@code /metrics} answers 404. */
    static Observed off() {
      ServerMeters off = ServerMeters.create(false);
      return new Observed(
          off,
          new MetricsEndpoint(off, () -> {}, Runnable::run),
          ServerTracing.off(),
          new RecentEvents(java.time.Clock.systemUTC()));
    }
  }

  HttpApi(
      ServerConfig config,
      ApiRoutes routes,
      Executor handlers,
      BooleanSupplier shuttingDown,
      RateLimitGate rateLimits,
      Bulkhead inProgress,
      Observed observed) {
    this.observed = observed;
    this.config = config;
    this.inProgress = inProgress;
    this.rateLimits = rateLimits;
    this.cors = new Cors(config);
    this.access = new ApiAccess(config);
    this.routes = routes;
    this.handlers = handlers;
    this.shuttingDown = shuttingDown;
  }

  @SuppressWarnings("try") // the scope makes the request's span current; nothing reads it by name
  void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    Optional<Endpoint.Match> match = Endpoint.match(request.path());
    ApiExchange exchange =
        ApiExchange.begin(
            request,
            match.map(m -> m.endpoint().template()).orElse("unmatched"),
            observed,
            exchanges);
    // The request's span is current while it is handled here, and goes with it to its handler.
    try (Scope ignored = exchange.context().makeCurrent()) {
      handle(request, response, match);
    }
  }

  private void handle(
      HttpServerRequest request, HttpServerResponse response, Optional<Endpoint.Match> match) {
    boolean corsAllowed = cors.allowOrigin(request);
    if (request.method() == HttpMethod.OPTIONS) {
      options(request, response, match, corsAllowed);
      return;
    }
    if (match.isPresent() && match.get().endpoint() == Endpoint.HEALTH) {
      serve(request, response, match, Optional.empty());
      return;
    }
    if (match.isPresent()
        && match.get().endpoint() == Endpoint.METRICS
        && request.method() == HttpMethod.GET) {
      observed.metrics().serve(request, response);
      return;
    }
    Optional<Optional<Tenant>> granted = access.grant(request);
    boolean authorized = granted.isPresent();
    Optional<String> key =
        authorized ? Optional.ofNullable(request.getHeader("X-API-Key")) : Optional.empty();
    CompletionStage<Optional<RateLimiter.Result>> taken =
        rateLimits.http(key, address(request.remoteAddress()));
    boolean answered = taken.toCompletableFuture().isDone();
    if (!answered) {
      // A shared store answers later: no body chunk may arrive before serve() sets its handler.
      request.pause();
    }
    RateLimitGate.onLoop(
        taken,
        Vertx.currentContext(),
        Context.current()
            .wrapConsumer(
                result -> {
                  if (withinRateLimit(request, response, key, result)) {
                    if (authorized) {
                      serve(request, response, match, granted.get());
                    } else {
                      JsonHttp.refuseEarly(
                          request,
                          response,
                          ApiException.unauthorized(
                              request.getHeader("X-API-Key") == null
                                  ? "missing X-API-Key header"
                                  : "invalid API key"));
                    }
                  }
                  if (!answered) {
                    request.resume();
                  }
                }));
  }

  /**
   * Answers {@code OPTIONS}, without an API key: a CORS preflight from an allowed origin gets the
   * CORS headers; any other gets {@code Allow} alone (404 when no endpoint has the path).
   */
  private void options(
      HttpServerRequest request,
      HttpServerResponse response,
      Optional<Endpoint.Match> match,
      boolean corsAllowed) {
    if (corsAllowed) {
      response
          .setStatusCode(204)
          .putHeader("Access-Control-Allow-Methods", Cors.METHODS)
          .putHeader("Access-Control-Allow-Headers", Cors.HEADERS)
          .putHeader("Access-Control-Max-Age", "600")
          .end();
      return;
    }
    if (match.isEmpty()) {
      JsonHttp.refuseEarly(request, response, notFound(request));
      return;
    }
    response.setStatusCode(204).putHeader("Allow", match.get().endpoint().allow()).end();
  }

  /**
   * Answers a request within its rate limit and authorized, or to {@code /health}.
   *
   * @param boundTo the tenant the request's API key is bound to, if it is
   */
  private void serve(
      HttpServerRequest request,
      HttpServerResponse response,
      Optional<Endpoint.Match> match,
      Optional<Tenant> boundTo) {
    String path = request.path();
    if (shuttingDown.getAsBoolean()) {
      response.putHeader("Connection", "close");
      if (path.equals("/health")) {
        // Load balancers take the node out of rotation while it drains.
        StatsReport.Answer health = routes.health(true, Map.of());
        JsonHttp.send(response, health.status(), health.body());
      } else {
        JsonHttp.refuseEarly(request, response, ApiException.shuttingDown());
      }
      return;
    }
    if (match.isEmpty()) {
      JsonHttp.refuseEarly(request, response, notFound(request));
      return;
    }
    Endpoint endpoint = match.get().endpoint();
    if (!endpoint.accepts(request.method())) {
      response.putHeader("Allow", endpoint.allow());
      JsonHttp.refuseEarly(
          request,
          response,
          new ApiException(
              405,
              "METHOD_NOT_ALLOWED",
              path + " takes " + endpoint.allow() + ", not " + request.method().name(),
              Optional.empty()));
      return;
    }
    if (!Endpoint.hasBody(request.method())) {
      JsonHttp.queryOrRefuse(request, response)
          .ifPresent(
              query -> route(request, response, match.get(), query, Optional.empty(), boundTo));
      return;
    }
    int limit =
        endpoint == Endpoint.BATCH
            ? config.http().maxBatchBodyBytes()
            : config.http().maxBodyBytes();
    JsonHttp.readBody(
        request,
        response,
        limit,
        Context.current()
            .wrapConsumer(
                body ->
                    route(request, response, match.get(), Map.of(), Optional.of(body), boundTo)));
  }

  /**
   * Hands the request to its route, its body (when it has one) parsed there, on a virtual thread.
   */
  private void route(
      HttpServerRequest request,
      HttpServerResponse response,
      Endpoint.Match match,
      Map<String, String> query,
      Optional<Buffer> body,
      Optional<Tenant> boundTo) {
    Optional<String> key = Optional.ofNullable(request.getHeader("Idempotency-Key"));
    dispatch(
        request,
        response,
        () ->
            routes.answer(
                match,
                request.method(),
                query,
                body.map(b -> JsonHttp.parse(b, "a JSON object")),
                key,
                ApiAccess.tenant(request, boundTo),
                boundTo));
  }

  private static ApiException notFound(HttpServerRequest request) {
    return ApiException.notFound(
        "no such endpoint: " + request.method().name() + " " + request.path());
  }

  /** HTTP exchanges open now (see {@link #awaitNoExchanges}). */
  int openExchanges() {
    return exchanges.intValue();
  }

  /**
   * Waits until no HTTP exchange is open (a request read or being read, its answer not yet sent),
   * or until {@code timeout} passed; shutdown calls it once new requests are answered 503, so
   * uploads begun before get their answer instead of a reset. False when some are still open.
   */
  boolean awaitNoExchanges(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (exchanges.sum() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return true;
  }

  /**
   * Given what was taken from the budget of the presented API key when it is accepted, else from
   * the budget of the client's address (so wrong keys cannot each get a fresh budget), reports the
   * budget in {@code X-RateLimit-Limit} (the bucket's size, i.e. the burst), {@code
   * X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (seconds until the bucket is full again).
   * When it is spent, answers 429 {@code rate_limited} with {@code Retry-After} (whole seconds,
   * rounded up) and returns false. The address is the socket's peer: behind a proxy, all callers
   * without a key share the proxy's budget.
   */
  private boolean withinRateLimit(
      HttpServerRequest request,
      HttpServerResponse response,
      Optional<String> key,
      Optional<RateLimiter.Result> taken) {
    if (taken.isEmpty()) {
      return true;
    }
    RateLimiter.Result result = taken.get();
    response
        .putHeader("X-RateLimit-Limit", String.valueOf(rateLimits.httpLimit()))
        .putHeader("X-RateLimit-Remaining", String.valueOf(result.remaining()))
        .putHeader(
            "X-RateLimit-Reset", String.valueOf(RateLimitGate.seconds(result.nanosUntilFull())));
    if (result.granted()) {
      return true;
    }
    long retryAfter = Math.max(1, RateLimitGate.seconds(result.retryAfterNanos()));
    response.putHeader("Retry-After", String.valueOf(retryAfter));
    log.debug("{}: HTTP API request to {} rate limited", request.remoteAddress(), request.path());
    RateLimits limits = config.rateLimits();
    JsonHttp.refuseEarly(
        request,
        response,
        ApiException.rateLimited(
            "too many requests: the limit is "
                + limits.httpPerSecond()
                + " per second with a burst of "
                + limits.effectiveHttpBurst()
                + (key.isPresent() ? " per API key" : "")
                + "; retry after "
                + retryAfter
                + " s",
            retryAfter));
    return false;
  }

  /**
   * Runs {@code route} on a virtual thread while it holds one of {@link
   * LoadLimits#httpMaxConcurrentRequests()} slots (taken once the body is read, so a slow upload
   * holds none); {@code /health} needs none.
   */
  private void dispatch(
      HttpServerRequest request, HttpServerResponse response, Supplier<ApiAnswer> route) {
    Context traced = Context.current();
    if (request.path().equals("/health")) {
      handlers.execute(traced.wrap(() -> respond(response, route)));
      return;
    }
    if (!inProgress.tryAcquire()) {
      overloaded(request, response);
      return;
    }
    try {
      handlers.execute(traced.wrap(() -> respond(response, route, inProgress::release)));
    } catch (RuntimeException e) {
      inProgress.release();
      throw e;
    }
  }

  /**
   * Answers 503 {@code overloaded} with {@code Retry-After: 1}: every slot of {@link
   * LoadLimits#httpMaxConcurrentRequests()} is taken. Nothing of the request was read or done.
   */
  private void overloaded(HttpServerRequest request, HttpServerResponse response) {
    log.debug(
        "{}: HTTP API request to {} shed: {} requests in progress",
        request.remoteAddress(),
        request.path(),
        config.loadLimits().httpMaxConcurrentRequests());
    response.putHeader("Retry-After", "1");
    JsonHttp.fail(
        response,
        new ApiException(
            503,
            "OVERLOADED",
            "the server is overloaded: "
                + config.loadLimits().httpMaxConcurrentRequests()
                + " requests are in progress; retry after 1 s",
            Optional.empty()));
  }

  /**
   * The client's IP address as text, for rate limiting ({@code "unknown"} when the socket has
   * none).
   */
  static String address(SocketAddress remote) {
    return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
  }

  /** Runs {@code route} and writes its answer (200) or its failure. */
  private void respond(HttpServerResponse response, Supplier<ApiAnswer> route) {
    respond(response, route, () -> {});
  }

  /**
   * Computes the answer of {@code route}, runs {@code answered} (which frees the request's slot),
   * then writes the answer: a client that has the answer may send its next request at once and find
   * the slot free.
   */
  private void respond(HttpServerResponse response, Supplier<ApiAnswer> route, Runnable answered) {
    Runnable write;
    try {
      ApiAnswer answer = route.get();
      write =
          () -> {
            if (answer.body().isPresent()) {
              JsonHttp.send(response, answer.status(), answer.body().get());
            } else if (!response.ended() && !response.closed()) {
              response.setStatusCode(answer.status()).end();
            }
          };
    } catch (ApiException e) {
      write = () -> JsonHttp.fail(response, e);
    } catch (RuntimeException e) {
      log.error("HTTP API: unexpected failure", e);
      observed.recent().add(RecentEvents.Kind.ERROR, "HTTP API", "unexpected failure: " + e);
      ObjectNode details = Json.nodes().objectNode();
      if (config.development()) {
        details.put("exception", e.toString());
      }
      write =
          () ->
              JsonHttp.fail(
                  response,
                  new ApiException(
                      500,
                      "INTERNAL_ERROR",
                      "internal error",
                      config.development() ? Optional.of(details) : Optional.empty()));
    } finally {
      answered.run();
    }
    write.run();
  }
}
