package dev.switchboard.server;

import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.gateway.Broker;
import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.DeliveryStore;
import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.Dispatcher;
import dev.switchboard.gateway.GatewayStats;
import dev.switchboard.gateway.Presence;
import dev.switchboard.gateway.Registry;
import dev.switchboard.gateway.Templates;
import dev.switchboard.resilience.AdaptiveLimiter;
import dev.switchboard.resilience.Bulkhead;
import dev.switchboard.resilience.BulkheadConfig;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.RpcObserver;
import dev.switchboard.rpc.RpcPeer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Switchboard server: devices connect to {@code /ws} (JWT-authenticated WebSocket speaking
 * JSON-RPC 2.0) or {@code /sse} (Server-Sent Events, {@link SseEndpoint}), backends push through
 * the HTTP API ({@link ApiRoutes}).
 *
 * <p>{@link #start} returns once the port is bound; {@link #close} shuts down gracefully: new
 * connections and requests are refused, every device gets the {@code shutdown} notification,
 * outbound queues drain for up to {@link ServerConfig#drainTimeout()}, then every connection is
 * closed with 1001. Thread-safe.
 */
public final class SwitchboardServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);

  /**
   * Event loops serving connections: one per core (Vert.x keeps twice as many; the rest stay free).
   */
  private static final int EVENT_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());

  /**
   * {@code GET /ws?token=} and a token of {@link TokenVerifier#MAX_TOKEN_CHARS}, with room for the
   * rest.
   */
  static final int MAX_REQUEST_LINE = TokenVerifier.MAX_TOKEN_CHARS + 1024;

  /**
   * An {@code Authorization: Bearer} header with such a token, and 8 KiB for every other header.
   */
  static final int MAX_HEADER_BYTES = TokenVerifier.MAX_TOKEN_CHARS + 8192;

  /** At most this long passes between the end of the drain and {@link #close()} returning. */
  static final int STOP_SECONDS_AFTER_DRAIN = 5;

  private final ServerConfig config;
  private final Clock clock = Clock.systemUTC();
  private final Instant started;
  private final Vertx vertx;

  /**
   * One HTTP server per event loop, sharing the port, so that connections spread over every core.
   */
  private final List<HttpServer> http = new ArrayList<>();

  /** The contexts of the event loops the HTTP servers run on, one each (node links use them). */
  private final List<io.vertx.core.Context> loops =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private final HttpServerOptions options;
  private final HttpApi api;
  private final RateLimitGate rateLimits;
  private final Bulkhead apiRequests;
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final Registry registry;
  private final Dispatcher dispatcher;

  /** What the nodes share: in memory (this node is the cluster) or in Redis. */
  private final SharedState shared;

  /** Channel histories, inboxes, ACKs, idempotency keys: {@link SharedState#store()}. */
  private final DeliveryStore store;

  private final Deliveries deliveries;
  private final DeviceAuth auth;
  private final RpcMethods methods;

  /**
   * {@link ServerConfig#rpc()} with the shared handler limit of {@link LoadLimits}, unless it
   * brought its own.
   */
  private final RpcConfig rpc;

  private final ServerCounters counters = new ServerCounters();
  private final ServerMeters meters;
  private final ServerTracing tracing;

  /** Today's share of the message counters, for {@code /api/v1/stats}; rolled every minute. */
  private final DailyCounts today = new DailyCounts(clock);

  /** Every open connection, whatever its transport. */
  private final Sessions sessions;

  /** Where a WebSocket handshake becomes a session (or is refused). */
  private final WebSocketUpgrades upgrades;

  /** {@code /sse} and {@code /sse/ack}: streams and their acknowledgements, beside the HTTP API. */
  private final SseEndpoint sse;

  /** {@code /admin}: the admin page and its API. */
  private final AdminRoutes admin;

  private final Shutdown shutdown;
  private final Connections connections;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Admits devices, whatever their transport. */
  private final DeviceAdmission admission;

  /** WebTransport (HTTP/3 on UDP), once it listens; empty when it is off. */
  private volatile Optional<WebTransportEndpoint> webTransport = Optional.empty();

  /** Clustered RPC: this node's providers, directory entry, node links, {@code cluster.*}. */
  private final ClusterNode cluster;

  private SwitchboardServer(ServerConfig config) {
    this.config = config;
    this.started = clock.instant();
    this.meters = ServerMeters.create(config.observability().metrics());
    this.tracing = ServerTracing.create(config.observability().tracing());
    this.registry = new Registry(config.registryLimits(), config.tenantLimits(), clock);
    this.dispatcher = new Dispatcher(registry);
    this.shared = SharedState.open(config, registry, clock);
    this.store = shared.store();
    this.deliveries =
        new Deliveries(dispatcher, store, clock, new DeliveryTelemetry(tracing, meters));
    this.auth = new DeviceAuth(config.jwt().map(TokenVerifier::create), config.development());
    this.cluster =
        new ClusterNode(
            config,
            config.development()
                ? DemoService.clusterFunctions(config.clusterFunctions())
                : config.clusterFunctions(),
            handlers,
            this::sessionOf);
    RpcMethods.Builder builder =
        RpcMethods.builder()
            .info("Switchboard", Version.current())
            .register(new DeviceMethods(deliveries, this::deviceOf, auth, this::expiryOf))
            .include(cluster.methods());
    if (config.development()) {
      builder.register(new DemoService());
    }
    this.methods = builder.include(config.methods()).build();
    LoadLimits load = config.loadLimits();
    RpcConfig.Builder rpcConfig = config.rpc().toBuilder();
    if (config.rpc().handlerLimiter().isEmpty()) {
      rpcConfig.handlerLimiter(
          Optional.of(AdaptiveLimiter.of("rpc-handlers", load.handlerLimiter())));
    }
    if (config.rpc().observer() == RpcObserver.NONE) { // an embedder's own observer stays
      rpcConfig.observer(new RpcTelemetry(tracing, meters, counters));
    }
    this.rpc = rpcConfig.build();
    this.shutdown = new Shutdown(config);
    this.vertx = Vertx.vertx();
    int max = config.rpc().maxMessageBytes();
    this.options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setMaxWebSocketFrameSize(max)
            .setMaxWebSocketMessageSize(max)
            // A request line or header block that can carry a token of
            // TokenVerifier.MAX_TOKEN_CHARS.
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            // Every connection is HTTP/1 from its first byte, so Connections sees it (and times it)
            // at once.
            .setHttp2ClearTextEnabled(false)
            .setPerFrameWebSocketCompressionSupported(false)
            .setPerMessageWebSocketCompressionSupported(config.webSocketCompression().enabled())
            .setTcpNoDelay(true)
            // A device may name its protocol as a subprotocol; the answer names it back.
            .setWebSocketSubProtocols(
                Arrays.stream(DeviceProtocol.values()).map(DeviceProtocol::wireName).toList())
            .setWebSocketClosingTimeout(WebSocketSink.CLOSE_GRACE_SECONDS);
    this.connections = new Connections(config, counters);
    Broker broker = shared.broker(deliveries);
    Presence presence = shared.presence();
    this.rateLimits = new RateLimitGate(config.rateLimits(), shared.rateLimits(), counters);
    Templates templates = shared.templates();
    NotificationApi notifications =
        new NotificationApi(
            broker,
            clock,
            new IdempotentSends(
                store.idempotency(), config.deliveryLimits().idempotencyTtl(), clock),
            templates,
            tracing);
    ApiRoutes routes =
        new ApiRoutes(
            presence,
            notifications,
            new BatchApi(notifications, config.http().maxBatchItems(), meters::batch),
            new TemplatesApi(templates, clock),
            this::stats,
            () -> Duration.between(started, clock.instant()).toSeconds(),
            config.tenants(),
            tenant -> store.acks().stats(tenant, clock.instant()),
            shared.cluster(),
            () -> webTransport.map(WebTransportEndpoint::info));
    this.apiRequests =
        Bulkhead.of(
            "http-api",
            BulkheadConfig.builder().maxConcurrentCalls(load.httpMaxConcurrentRequests()).build());
    this.sessions =
        new Sessions(
            config, clock, methods, rpc, counters, meters, tracing, vertx, deliveries, handlers);
    StatsMeters statsMeters =
        new StatsMeters(this::stats, presence, sessions::devices, config.tenants());
    statsMeters.bindTo(meters.registry(), counters);
    meters.bindProcess(rpc.handlerLimiter().orElseThrow(), apiRequests);
    shared.bindMeters(meters.registry());
    this.api =
        new HttpApi(
            config,
            routes,
            handlers,
            shutdown::started,
            rateLimits,
            apiRequests,
            new HttpApi.Observed(
                meters,
                new MetricsEndpoint(meters, statsMeters::refresh, handlers),
                tracing,
                counters.recent));
    this.admission =
        new DeviceAdmission(
            config, shutdown::started, rateLimits, auth, registry, handlers, counters);
    this.upgrades = new WebSocketUpgrades(config, admission, sessions);
    this.admin =
        new AdminRoutes(
            config,
            new AdminApi(
                path ->
                    routes.get(
                        Endpoint.match(path).orElseThrow(),
                        java.util.Map.of(),
                        dev.switchboard.gateway.Tenant.DEFAULT,
                        Optional.empty()),
                presence,
                sessions::devices,
                counters.recent,
                notifications,
                store.channels(),
                clock),
            handlers);
    this.sse =
        new SseEndpoint(
            config,
            admission,
            sessions,
            new SseAcks(
                config, sessions, auth, deliveries, rateLimits, handlers, shutdown::started),
            clock);
  }

  /**
   * Listens on {@code port} with one more HTTP server, deployed on its own event loop (each
   * deployment gets a context of its own; a server created on a plain thread would share that
   * thread's single context). Servers on the same port share it, taking connections in turn.
   */
  private void listen(int port) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions(options).setPort(port))
            .connectionHandler(connections::opened)
            // SSE first: a stream needs no API key and must not hold an API request slot for its
            // lifetime.
            .requestHandler(
                request -> {
                  if (!admin.handle(request) && !sse.handle(request)) {
                    api.handle(request);
                  }
                })
            .invalidRequestHandler(UnreadableRequests::answer)
            .webSocketHandshakeHandler(upgrades::onHandshake)
            .webSocketHandler(socket -> {}); // each socket is wired when its handshake is accepted
    vertx
        .deployVerticle(
            context -> {
              loops.add(context);
              return server.listen();
            })
        .await(30, TimeUnit.SECONDS);
    http.add(server);
  }

  /** Starts a server and waits until it listens. */
  public static SwitchboardServer start(ServerConfig config) {
    Objects.requireNonNull(config, "config");
    // Vert.x shares a bound port between servers that ask for the same host and port, but gives
    // each request for port 0 a port of its own: a free port is chosen first.
    int port;
    try {
      port = config.port() == 0 ? freePort(config.host()) : config.port();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    SwitchboardServer server = new SwitchboardServer(config);
    try {
      for (int i = 0; i < EVENT_LOOPS; i++) {
        server.listen(port);
      }
      server.cluster.join(server.shared, port, server.vertx, List.copyOf(server.loops));
      server.webTransport = server.startWebTransport(port);
      // A new day's counts start within a minute of midnight, read or not.
      server.vertx.setPeriodic(60_000, t -> server.today.roll(server.totals()));
    } catch (Exception e) {
      server.vertx.close();
      server.handlers.close();
      server.webTransport.ifPresent(WebTransportEndpoint::close);
      server.cluster.close();
      server.shared.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + cause.getMessage(), e);
    }
    if (config.development()) {
      log.warn(
          "development mode: devices may connect without a token{}; not for production",
          config.apiKey().isEmpty() ? " and the HTTP API needs no key" : "");
    }
    return server;
  }

  /**
   * WebTransport on UDP, when on. In development mode a port it cannot take (another process holds
   * that UDP port) is logged and the server runs without it; in production it stops the start.
   */
  private Optional<WebTransportEndpoint> startWebTransport(int port) {
    try {
      return WebTransportEndpoint.start(
          config, port, admission, sessions, vertx.getOrCreateContext());
    } catch (RuntimeException e) {
      if (!config.development()) {
        throw e;
      }
      log.warn("WebTransport is off: it could not start on udp port {}: {}", port, e.toString());
      return Optional.empty();
    }
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return probe.getLocalPort();
    }
  }

  /** The bound port. */
  public int port() {
    return http.getFirst().actualPort();
  }

  /** The WebSocket endpoint, on the loopback address when bound to all interfaces. */
  public URI webSocketUri() {
    String host =
        config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
    return URI.create("ws://" + host + ":" + port() + "/ws");
  }

  public ServerConfig config() {
    return config;
  }

  /**
   * The devices connected to this node over WebTransport now, for sending them datagrams or opening
   * streams to them; empty when WebTransport is off.
   */
  public java.util.List<WebTransportDevice> webTransportDevices() {
    return webTransport.map(WebTransportEndpoint::devices).orElse(java.util.List.of());
  }

  /** WebTransport's URL ({@code https://host:port/wt}); empty when WebTransport is off. */
  public Optional<URI> webTransportUri() {
    return webTransport.map(w -> URI.create(w.info().get("url").asText()));
  }

  /** For the device methods, which are built before the sessions they look up. */
  private Device deviceOf(RpcPeer peer) {
    return sessions.deviceOf(peer);
  }

  private Optional<Session> sessionOf(RpcPeer peer) {
    return sessions.sessionOf(peer);
  }

  private Optional<TokenExpiry> expiryOf(RpcPeer peer) {
    return sessions.expiryOf(peer);
  }

  private ApiRoutes.ServerStats stats() {
    return new ApiRoutes.ServerStats(
        dispatcher.stats(),
        counters.dropped.sum(),
        counters.slowConsumers.sum(),
        counters.opened.sum(),
        counters.refusedUpgrades.sum(),
        new ApiRoutes.Sockets(
            connections.open(),
            connections.maxOpen(),
            counters.refusedSockets.sum(),
            counters.evictedSockets.sum(),
            counters.timedOutConnections.sum()),
        deliveryTotals(),
        transport("ws"),
        transport("sse"),
        today.today(totals()),
        shared.triggers().map(t -> t.stats()));
  }

  /** This node's sessions over {@code transport} ({@link SessionSink#transport}). */
  private int transport(String transport) {
    return (int)
        sessions.devices().stream().filter(s -> s.sink().transport().equals(transport)).count();
  }

  /** Notifications sent, delivered and failed since start-up, for {@link #today}. */
  private DailyCounts.Counts totals() {
    GatewayStats g = dispatcher.stats();
    return new DailyCounts.Counts(g.notifications(), g.deliveries(), g.refused());
  }

  private ApiRoutes.DeliveryTotals deliveryTotals() {
    Instant now = clock.instant();
    return new ApiRoutes.DeliveryTotals(
        store.channels().totals(now),
        store.inboxes().totals(now),
        store.acks().stats(now),
        store.idempotency().size(now));
  }

  /**
   * The slots of {@link LoadLimits#httpMaxConcurrentRequests()} (tests take them to make the server
   * busy).
   */
  Bulkhead apiRequests() {
    return apiRequests;
  }

  /**
   * The shared limit on RPC handlers of {@link LoadLimits}, or the one {@link ServerConfig#rpc()}
   * brought.
   */
  AdaptiveLimiter handlerLimiter() {
    return rpc.handlerLimiter().orElseThrow();
  }

  /** TCP connections open now, as counted against {@code limits.max_connections}. */
  int openSockets() {
    return connections.open();
  }

  /** HTTP exchanges open now: requests being read or answered. */
  int openExchanges() {
    return api.openExchanges();
  }

  /** The registry of connected devices (read-only use: counts and lookups). */
  Registry registry() {
    return registry;
  }

  /**
   * Shuts down gracefully (see the class comment) and returns within the drain timeout plus {@link
   * #STOP_SECONDS_AFTER_DRAIN} s: 1 s for close handshakes, 1 s for HTTP exchanges still open to
   * get their answer (new ones are answered 503) before the port is released, then up to 1.5 s to
   * stop listening and 1 s for Vert.x to stop (both finish in the background after that), and half
   * a second for handlers still running, which are interrupted.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    cluster.leave(); // the other nodes stop routing commands here within 1 s
    shutdown.run(sessions.all());
    try {
      if (!api.awaitNoExchanges(Duration.ofSeconds(1))) {
        log.info("shutting down: HTTP requests still open after 1 s; closing their connections");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Future<Void>> stopping =
        http.stream().map(server -> server.shutdown(Duration.ofSeconds(1))).toList();
    await(Future.all(stopping), 1500, "HTTP connections still open");
    webTransport.ifPresent(WebTransportEndpoint::close);
    await(vertx.close(), 1000, "Vert.x still stopping");
    handlers.shutdownNow();
    try {
      if (!handlers.awaitTermination(500, TimeUnit.MILLISECONDS)) {
        log.info("RPC or API handlers still running after shutdown; they were interrupted");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cluster.close(); // the node links, once the commands running here are done
    shared.close(); // leaves the cluster: the other nodes stop counting this one at once
    tracing.close(); // exports the spans of the connections shutdown closed
  }

  private static void await(Future<?> future, long millis, String late) {
    try {
      future.await(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.debug("{} after {} ms; finishing in the background", late, millis);
    } catch (Exception e) {
      log.warn("server did not stop cleanly: {}", e.toString());
    }
  }
}
