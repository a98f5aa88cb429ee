package dev.switchboard.server;

import dev.switchboard.auth.Identity;
import dev.switchboard.auth.JwtConfig;
import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.Registry;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.RpcPeer;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open sessions of this server, whatever their transport: where an accepted connection becomes
 * a {@link Session} with its RPC peer, its place in the registry and its token's expiry, and where
 * the device methods and the shutdown find them. Thread-safe.
 */
final class Sessions {

  private static final Logger log = LoggerFactory.getLogger(Sessions.class);

  private final ServerConfig config;
  private final Clock clock;
  private final RpcMethods methods;
  private final RpcConfig rpc;
  private final ServerCounters counters;
  private final Vertx vertx;
  private final AtomicLong ids = new AtomicLong();

  /** Every open session, by its RPC peer (device methods find their session here). */
  private final Map<RpcPeer, Session> sessions = new ConcurrentHashMap<>();

  /** When each open connection's token runs out; {@code refresh} finds it here. */
  private final Map<RpcPeer, TokenExpiry> expiries = new ConcurrentHashMap<>();

  Sessions(
      ServerConfig config,
      Clock clock,
      RpcMethods methods,
      RpcConfig rpc,
      ServerCounters counters,
      Vertx vertx) {
    this.config = config;
    this.clock = clock;
    this.methods = methods;
    this.rpc = rpc;
    this.counters = counters;
    this.vertx = vertx;
  }

  /**
   * Opens the session of a connection whose transport is ready: the RPC peer on top, its place in
   * the registry, its token's expiry. Called on the connection's event loop.
   */
  void open(SessionSink sink, Identity identity, Registry.Reservation place) {
    Session session =
        new Session("c" + ids.incrementAndGet(), identity, sink, config.outboxLimits(), counters);
    RpcConnection connection = RpcConnection.open(session, methods, rpc);
    TokenExpiry expiry =
        new TokenExpiry(
            identity,
            config.jwt().map(JwtConfig::leeway).orElse(Duration.ZERO),
            config.jwt().map(JwtConfig::clock).orElse(clock),
            new VertxTimer(vertx, vertx.getOrCreateContext()),
            () -> {
              log.info(
                  "{}: closing with {}: {}",
                  session.describe(),
                  TokenExpiry.CLOSE_CODE,
                  TokenExpiry.CLOSE_REASON);
              connection.close(TokenExpiry.CLOSE_CODE, TokenExpiry.CLOSE_REASON);
            });
    place.activate(session);
    sessions.put(connection, session);
    expiries.put(connection, expiry);
    counters.opened.increment();
    expiry.start();
    session.attach(
        connection,
        () -> {
          place.close();
          sessions.remove(connection);
          expiries.remove(connection);
          expiry.cancel();
        });
    log.debug("{}: connected", session.describe());
  }

  /** The session of {@code peer}, for the device methods. */
  Device deviceOf(RpcPeer peer) {
    Session session = sessions.get(peer);
    if (session == null) {
      throw new IllegalStateException("no device for " + peer);
    }
    return session;
  }

  /** When {@code peer}'s token runs out; empty once it left. */
  Optional<TokenExpiry> expiryOf(RpcPeer peer) {
    return Optional.ofNullable(expiries.get(peer));
  }

  /** A live view of the open sessions: closed ones leave it. */
  Collection<Session> all() {
    return Collections.unmodifiableCollection(sessions.values());
  }
}
