package dev.switchboard.server;

import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.LimitExceededException;
import dev.switchboard.gateway.Registry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket's way in: a handshake on {@code /ws} is rate limited, authenticated and given a
 * place in the registry before it is accepted, and the accepted socket becomes a {@link Session}
 * over a {@link WebSocketSink}. Every refusal answers the handshake with its HTTP status and is
 * counted in {@code /stats}.
 */
final class WebSocketUpgrades {

  private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrades.class);

  private final ServerConfig config;
  private final BooleanSupplier shuttingDown;
  private final RateLimitGate rateLimits;
  private final DeviceAuth auth;
  private final Registry registry;
  private final ExecutorService handlers;
  private final ServerCounters counters;
  private final Sessions sessions;

  WebSocketUpgrades(
      ServerConfig config,
      BooleanSupplier shuttingDown,
      RateLimitGate rateLimits,
      DeviceAuth auth,
      Registry registry,
      ExecutorService handlers,
      ServerCounters counters,
      Sessions sessions) {
    this.config = config;
    this.shuttingDown = shuttingDown;
    this.rateLimits = rateLimits;
    this.auth = auth;
    this.registry = registry;
    this.handlers = handlers;
    this.counters = counters;
    this.sessions = sessions;
  }

  /**
   * Takes one new connection from the client address's budget (429 when spent: {@link
   * RateLimits#upgradesPerMinutePerAddress()}), authenticates on a virtual thread (a JWKS fetch may
   * block), takes a place in the registry, and only then accepts the upgrade; any refusal leaves no
   * state behind but the spent budget.
   */
  void onHandshake(ServerWebSocketHandshake handshake) {
    if (!"/ws".equals(handshake.path())) {
      handshake.reject(404);
      return;
    }
    if (shuttingDown.getAsBoolean()) {
      refuse(handshake, 503, "the server is shutting down");
      return;
    }
    Context context = Vertx.currentContext();
    RateLimitGate.onLoop(
        rateLimits.upgrade(HttpApi.address(handshake.remoteAddress())),
        context,
        granted -> {
          if (granted) {
            admit(handshake, context);
          } else {
            refuse(
                handshake,
                429,
                "more than "
                    + config.rateLimits().upgradesPerMinutePerAddress()
                    + " new connections per minute from this address");
          }
        });
  }

  /** Reads the token of a handshake within its rate limit and authenticates it. */
  private void admit(ServerWebSocketHandshake handshake, Context context) {
    Optional<String> token;
    boolean acknowledges;
    try {
      token = DeviceAuth.token(handshake);
    } catch (IllegalArgumentException e) {
      refuse(handshake, 401, "the token parameter is not valid URL encoding: " + e.getMessage());
      return;
    }
    try {
      acknowledges = DeviceAuth.acknowledges(handshake.query());
    } catch (IllegalArgumentException e) {
      refuse(handshake, 400, e.getMessage());
      return;
    }
    String remote = String.valueOf(handshake.remoteAddress());
    try {
      handlers.execute(() -> authenticate(handshake, context, token, acknowledges, remote));
    } catch (RejectedExecutionException e) {
      refuse(handshake, 503, "the server is shutting down");
    }
  }

  /**
   * On a virtual thread: the identity of {@code token}, then a place in the registry, then the
   * upgrade (back on the connection's {@code context}). Every outcome answers the handshake.
   */
  private void authenticate(
      ServerWebSocketHandshake handshake,
      Context context,
      Optional<String> token,
      boolean acknowledges,
      String remote) {
    Identity identity;
    Registry.Reservation place;
    try {
      identity = auth.identify(token, remote);
      place = registry.reserve(identity.userId());
    } catch (AuthException e) {
      context.runOnContext(v -> refuse(handshake, 401, e.getMessage()));
      return;
    } catch (LimitExceededException e) {
      int status = e.limit() == LimitExceededException.Limit.CONNECTIONS ? 503 : 429;
      context.runOnContext(v -> refuse(handshake, status, e.getMessage()));
      return;
    } catch (IllegalArgumentException e) {
      // A verified token whose claims the registry refuses (a sub over 256 characters, say).
      context.runOnContext(v -> refuse(handshake, 401, "token refused: " + e.getMessage()));
      return;
    } catch (RuntimeException e) {
      log.error("{}: upgrade failed unexpectedly", remote, e);
      context.runOnContext(v -> refuse(handshake, 500, "internal error: " + e));
      return;
    }
    context.runOnContext(
        v ->
            handshake
                .accept()
                .onComplete(
                    socket -> attach(socket, identity, place, acknowledges),
                    failure -> {
                      place.close();
                      log.debug("{}: upgrade failed: {}", remote, failure.toString());
                    }));
  }

  private void refuse(ServerWebSocketHandshake handshake, int status, String why) {
    counters.refusedUpgrades.increment();
    log.info("{}: upgrade refused with {}: {}", handshake.remoteAddress(), status, why);
    handshake.reject(status);
  }

  private void attach(
      ServerWebSocket socket, Identity identity, Registry.Reservation place, boolean acknowledges) {
    SessionSink sink =
        new WebSocketSink(
            socket, config.rpc().maxMessageBytes(), config.outboxLimits().maxMessages());
    sessions.open(sink, identity, place, Sessions.Join.webSocket(acknowledges));
  }
}
