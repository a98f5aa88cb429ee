package dev.switchboard.server;

import dev.switchboard.auth.Identity;
import dev.switchboard.auth.JwtConfig;
import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.Registry;
import dev.switchboard.gateway.StreamId;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.RpcPeer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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

  /**
   * {@link #rpc} for a device that cannot send (SSE): no RPC keepalive, whose {@code rpc.ping} it
   * could never answer, and no idle timeout, which it could never reset. Its transport's heartbeats
   * and failed writes find a dead peer instead.
   */
  private final RpcConfig oneWay;

  /**
   * {@link #rpc} for a connection that presented the API key (another node's link, a backend): no
   * message rate, and as many calls in flight as a link carries.
   */
  private final RpcConfig link;

  private final ServerCounters counters;
  private final ServerMeters meters;
  private final ServerTracing tracing;
  private final Vertx vertx;
  private final Deliveries deliveries;
  private final ExecutorService handlers;
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
      ServerMeters meters,
      ServerTracing tracing,
      Vertx vertx,
      Deliveries deliveries,
      ExecutorService handlers) {
    this.meters = meters;
    this.tracing = tracing;
    this.deliveries = deliveries;
    this.handlers = handlers;
    this.config = config;
    this.clock = clock;
    this.methods = methods;
    this.rpc = rpc;
    this.oneWay = rpc.toBuilder().pingInterval(Duration.ZERO).idleTimeout(Duration.ZERO).build();
    this.link =
        rpc.toBuilder()
            .messageRate(Optional.empty())
            .maxInFlightCalls(ClusterNode.LINK_MAX_CALLS)
            .build();
    this.counters = counters;
    this.vertx = vertx;
  }

  /**
   * How a connection joins its streams.
   *
   * @param acknowledges the device connected with {@code ack=1}
   * @param inbox an SSE reconnect's position in the user's inbox, to resume after; empty: the
   *     connection gets what the user is owed (the offline queue, unacknowledged notifications)
   * @param channels channels to subscribe at once (SSE's {@code ?channels=})
   * @param recover for some of {@code channels}, the position to recover after
   * @param joined told what happened, once the replay is queued (or the join failed), on a virtual
   *     thread
   * @param oneWay the device cannot send anything (SSE): its RPC peer runs without keepalive and
   *     idle timeout
   * @param protocol what the device speaks
   */
  record Join(
      boolean acknowledges,
      Optional<Position> inbox,
      List<String> channels,
      Map<String, Position> recover,
      Consumer<Joined> joined,
      boolean oneWay,
      DeviceProtocol protocol) {

    /** A WebSocket's join: its user's owed notifications, nothing else. */
    static Join webSocket(boolean acknowledges, DeviceProtocol protocol) {
      return new Join(
          acknowledges, Optional.empty(), List.of(), Map.of(), joined -> {}, false, protocol);
    }

    /** An SSE stream's join: one-way, its channels at once, resuming where {@code inbox} says. */
    static Join sse(
        boolean acknowledges,
        Optional<Position> inbox,
        List<String> channels,
        Map<String, Position> recover,
        Consumer<Joined> joined) {
      return new Join(acknowledges, inbox, channels, recover, joined, true, DeviceProtocol.JSONRPC);
    }
  }

  /**
   * What joining did: the inbox replay, the channels subscribed (when any were asked for), or the
   * failure that stopped it.
   */
  record Joined(
      Optional<Deliveries.Connected> inbox,
      Optional<Deliveries.Subscribed> channels,
      Optional<RuntimeException> failure) {}

  /**
   * Opens the session of a connection whose transport is ready: the RPC peer on top, its place in
   * the registry, its token's expiry; then, on a virtual thread, hands it what its user is owed
   * before anything new ({@link Deliveries#connect}). Called on the connection's event loop.
   */
  Session open(
      SessionSink sink, Identity identity, Optional<Registry.Reservation> place, Join join) {
    Session session =
        new Session(
            "c" + ids.incrementAndGet(),
            clock.instant(),
            identity,
            sink,
            config.outboxLimits(),
            counters,
            meters,
            join.acknowledges(),
            Dialect.of(join.protocol()));
    // Before the registry knows it: nothing sent to the user may overtake what they are owed.
    if (place.isPresent()) {
      session.hold(new StreamId.Inbox(session.userId()));
    }
    RpcConnection connection =
        RpcConnection.open(
            session,
            methods,
            join.oneWay() ? oneWay : identity.hasRole(ClusterMethods.NODE_ROLE) ? link : rpc);
    TokenExpiry expiry =
        new TokenExpiry(
            identity,
            config.jwt().map(JwtConfig::leeway).orElse(Duration.ZERO),
            config.jwt().map(JwtConfig::clock).orElse(clock),
            new VertxTimer(vertx, vertx.getOrCreateContext()),
            () -> {
              LogFields.device(session, log.atInfo())
                  .log(
                      "{}: closing with {}: {}",
                      session.describe(),
                      TokenExpiry.CLOSE_CODE,
                      TokenExpiry.CLOSE_REASON);
              connection.close(TokenExpiry.CLOSE_CODE, TokenExpiry.CLOSE_REASON);
            });
    place.ifPresent(p -> p.activate(session));
    sessions.put(connection, session);
    expiries.put(connection, expiry);
    counters.opened.increment();
    expiry.start();
    if (tracing.enabled()) {
      session.traced(
          tracing
              .tracer()
              .spanBuilder(
                  sink.transport().equals("ws") ? "websocket.connection" : "sse.connection")
              .setSpanKind(SpanKind.SERVER)
              .setNoParent()
              .setAttribute("connection.id", session.id())
              .setAttribute("enduser.id", identity.userId())
              .setAttribute("tenant.id", identity.tenantId().orElse(Tenant.DEFAULT.id()))
              .startSpan());
    }
    session.attach(
        connection,
        () -> {
          place.ifPresent(Registry.Reservation::close);
          sessions.remove(connection);
          expiries.remove(connection);
          expiry.cancel();
        });
    LogFields.device(session, log.atDebug()).log("{}: connected", session.describe());
    if (place.isEmpty()) { // a backend or a node link: no device, nothing owed
      return session;
    }
    try {
      handlers.execute(Context.root().with(session.span()).wrap(() -> join(session, join)));
    } catch (RejectedExecutionException e) { // shutting down: the session is about to close
      session.release(new StreamId.Inbox(session.userId()), List.of());
    }
    return session;
  }

  private void join(Session session, Join join) {
    Optional<Deliveries.Connected> inbox = Optional.empty();
    Optional<Deliveries.Subscribed> channels = Optional.empty();
    try {
      inbox = Optional.of(deliveries.connect(session, join.inbox()));
      counters.replayed.add(inbox.get().replayed());
      if (inbox.get().replayed() > 0) {
        LogFields.device(session, log.atDebug())
            .log("{}: replayed {} notifications", session.describe(), inbox.get().replayed());
      }
      if (!join.channels().isEmpty()) {
        channels = Optional.of(deliveries.subscribe(session, join.channels(), join.recover()));
      }
      join.joined().accept(new Joined(inbox, channels, Optional.empty()));
    } catch (RuntimeException e) {
      LogFields.device(session, log.atDebug())
          .log("{}: joining its streams failed: {}", session.describe(), e.toString());
      join.joined().accept(new Joined(inbox, channels, Optional.of(e)));
    }
  }

  /** The session of {@code peer}, for the device methods. */
  Device deviceOf(RpcPeer peer) {
    Session session = sessions.get(peer);
    if (session == null) {
      throw new IllegalStateException("no device for " + peer);
    }
    return session;
  }

  /** The open session of {@code peer}; empty once it left. */
  Optional<Session> sessionOf(RpcPeer peer) {
    return Optional.ofNullable(sessions.get(peer));
  }

  /** When {@code peer}'s token runs out; empty once it left. */
  Optional<TokenExpiry> expiryOf(RpcPeer peer) {
    return Optional.ofNullable(expiries.get(peer));
  }

  /**
   * The open sessions of devices, without the connections that presented the API key (node links,
   * backends): what the connection counts of {@code /stats} and {@code /metrics} count.
   */
  List<Session> devices() {
    return sessions.values().stream()
        .filter(s -> !s.identity().hasRole(ClusterMethods.NODE_ROLE))
        .toList();
  }

  /** A live view of the open sessions: closed ones leave it. */
  Collection<Session> all() {
    return Collections.unmodifiableCollection(sessions.values());
  }
}
