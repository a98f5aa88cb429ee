package dev.switchboard.server;

import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.RpcMethods;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Switchboard server: {@code /ws} speaks JSON-RPC 2.0 over WebSocket, {@code GET /health} reports status.
 *
 * <p>{@link #start} returns once the port is bound; {@link #close} stops accepting, closes every connection (1001)
 * and waits for Vert.x to stop. Thread-safe.
 */
public final class SwitchboardServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);

  private final ServerConfig config;
  private final RpcMethods methods;
  private final Vertx vertx;
  private final HttpServer http;
  private final Instant started;
  private final Clock clock = Clock.systemUTC();

  private SwitchboardServer(ServerConfig config) {
    this.config = config;
    this.methods = config.development()
        ? RpcMethods.builder().info("Switchboard", Version.current()).register(new DemoService())
            .include(config.methods()).build()
        : config.methods();
    this.vertx = Vertx.vertx();
    int max = config.rpc().maxMessageBytes();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setMaxWebSocketFrameSize(max)
        .setMaxWebSocketMessageSize(max)
        .setTcpNoDelay(true);
    this.http = vertx.createHttpServer(options)
        .requestHandler(this::onRequest)
        .webSocketHandshakeHandler(this::onHandshake)
        .webSocketHandler(socket -> {
          WebSocketTransport transport = new WebSocketTransport(socket, max, config.maxQueuedBytes());
          transport.attach(RpcConnection.open(transport, methods, config.rpc()));
          log.debug("{}: connected", transport.describe());
        });
    this.started = clock.instant();
  }

  /** Starts a server and waits until it listens. */
  public static SwitchboardServer start(ServerConfig config) {
    Objects.requireNonNull(config, "config");
    SwitchboardServer server = new SwitchboardServer(config);
    try {
      server.http.listen().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      server.vertx.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + cause.getMessage(), e);
    }
    return server;
  }

  /** The bound port. */
  public int port() {
    return http.actualPort();
  }

  /** The WebSocket endpoint, on the loopback address when bound to all interfaces. */
  public URI webSocketUri() {
    String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
    return URI.create("ws://" + host + ":" + port() + "/ws");
  }

  public ServerConfig config() {
    return config;
  }

  private void onHandshake(ServerWebSocketHandshake handshake) {
    if ("/ws".equals(handshake.path())) {
      handshake.accept();
    } else {
      handshake.reject(404);
    }
  }

  private void onRequest(HttpServerRequest request) {
    if ("/health".equals(request.path()) && request.method().name().equals("GET")) {
      long uptime = Duration.between(started, clock.instant()).toSeconds();
      request.response()
          .putHeader("content-type", "application/json")
          .end("{\"status\":\"ok\",\"version\":\"" + Version.current() + "\",\"uptime_seconds\":" + uptime + "}");
      return;
    }
    request.response().setStatusCode(404).putHeader("content-type", "application/json")
        .end("{\"error\":\"not found: " + request.path().replace("\"", "") + "\"}");
  }

  @Override
  public void close() {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("server did not stop cleanly: {}", e.toString());
    }
  }
}
