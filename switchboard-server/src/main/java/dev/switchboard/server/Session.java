package dev.switchboard.server;

import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.Outbox;
import dev.switchboard.gateway.OutboxLimits;
import dev.switchboard.gateway.Outgoing;
import dev.switchboard.gateway.StreamGate;
import dev.switchboard.gateway.StreamId;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.Transport;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected device, whatever its transport: who it is, its bounded outbound queue, what happens
 * when it cannot keep up, its drain and its close. Under it a {@link SessionSink} moves the bytes
 * (a WebSocket today); above it the {@link RpcConnection} speaks JSON-RPC and the gateway delivers
 * notifications ({@link Device}); between the sink and the rest, its {@link Dialect} translates
 * when the device speaks another protocol than JSON-RPC. The registry, the stats and the shutdown
 * work on sessions.
 *
 * <p>Everything sent, RPC answers and notifications alike, goes through one {@link Outbox}, in
 * order; a session that cannot keep up leaves at once and is closed with {@link #SLOW_CONSUMER}.
 * Thread-safe: any thread may deliver or close; the sink reports from its event loop.
 */
final class Session implements Device, Transport {

  private static final Logger log = LoggerFactory.getLogger(Session.class);

  /** Close code for a device whose outbound queue overflowed (private-use range of RFC 6455). */
  static final int SLOW_CONSUMER = 4008;

  private final String id;
  private final Identity identity;
  private final SessionSink sink;
  private final String name;
  private final Outbox outbox;
  private final ServerCounters counters;
  private final ServerMeters meters;
  private final long openedNanos = System.nanoTime();
  private final java.time.Instant connectedAt;

  /**
   * {@code websocket.connection} (or {@code sse.connection}) while it lasts; set by {@link
   * #traced}.
   */
  private volatile Span span = Span.getInvalid();

  private final String slowConsumerReason;
  private final int maxMessages;
  private final AtomicBoolean left = new AtomicBoolean();
  private final boolean acknowledges;
  private final Dialect dialect;

  /** Holds the streams this session is catching up on (its inbox at first, recovering channels). */
  private final StreamGate gate;

  /** Set once by {@link #attach}, before the sink reports anything. */
  private volatile RpcConnection connection;

  /**
   * Runs once when the device leaves: on close, or at once when it is cut off as a slow consumer.
   */
  private volatile Runnable gone = () -> {};

  Session(
      String id,
      java.time.Instant connectedAt,
      Identity identity,
      SessionSink sink,
      OutboxLimits limits,
      ServerCounters counters,
      ServerMeters meters,
      boolean acknowledges,
      Dialect dialect) {
    this.id = Objects.requireNonNull(id, "id");
    this.connectedAt = Objects.requireNonNull(connectedAt, "connectedAt");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.acknowledges = acknowledges;
    this.gate = new StreamGate(this::enqueue, limits.maxMessages());
    this.identity = Objects.requireNonNull(identity, "identity");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.name = sink.transport() + " " + id + " user " + identity.userId() + " " + sink.remote();
    this.outbox =
        new Outbox(
            limits,
            (message, done) -> {
              meters.writing(message);
              dialect.write(message, done, sink);
            });
    this.counters = counters;
    this.meters = meters;
    this.maxMessages = limits.maxMessages();
    this.slowConsumerReason =
        "slow consumer: outbound queue full ("
            + limits.maxMessages()
            + " messages / "
            + limits.maxBytes()
            + " bytes)";
  }

  /**
   * Puts {@code rpc} on top and starts the sink; call once. {@code onGone} runs once when the
   * device leaves.
   */
  void attach(RpcConnection rpc, Runnable onGone) {
    this.connection = Objects.requireNonNull(rpc, "rpc");
    this.gone = Objects.requireNonNull(onGone, "onGone");
    sink.start(this);
  }

  /** Its connection's span, ended when the transport closes. */
  void traced(Span connection) {
    this.span = Objects.requireNonNull(connection, "connection");
  }

  /** Its connection's span (invalid when tracing is off). */
  Span span() {
    return span;
  }

  @Override
  public String id() {
    return id;
  }

  /** The user's key: its id in its tenant's namespace ({@link Tenant#user}). */
  @Override
  public String userId() {
    return userKey(identity);
  }

  /**
   * The key of {@code identity}'s user: its {@code sub} in the namespace of its {@code tenant_id}
   * (none: the default tenant).
   *
   * @throws IllegalArgumentException when the tenant id or the user id is not valid
   */
  static String userKey(Identity identity) {
    return Tenant.of(identity.tenantId()).user(identity.userId());
  }

  /** When the connection was accepted. */
  java.time.Instant connectedAt() {
    return connectedAt;
  }

  /** Who connected: user id, roles and tenant from the token. */
  Identity identity() {
    return identity;
  }

  RpcConnection connection() {
    return connection;
  }

  Outbox outbox() {
    return outbox;
  }

  SessionSink sink() {
    return sink;
  }

  @Override
  public boolean acknowledges() {
    return acknowledges;
  }

  // ---- what goes out

  @Override
  public boolean deliver(Outgoing message) {
    if (gate.offer(message)) {
      return true;
    }
    if (gate.full()) {
      slowConsumer(
          "more than "
              + maxMessages
              + " notifications arrived while it was catching up on missed ones");
    }
    return false;
  }

  @Override
  public void hold(StreamId stream) {
    gate.hold(stream);
  }

  @Override
  public boolean release(StreamId stream, List<Outgoing> replay) {
    return gate.release(stream, replay);
  }

  /** Into the outbound queue, past the gate. */
  private boolean enqueue(Outgoing message) {
    return switch (outbox.offer(message)) {
      case Outbox.Offer.Accepted accepted -> {
        if (accepted.dropped() > 0) {
          counters.dropped.add(accepted.dropped());
          log.debug("{}: dropped {} old notifications to make room", name, accepted.dropped());
        }
        yield true;
      }
      case Outbox.Offer.Overflow overflow -> {
        slowConsumer(overflow.reason());
        yield false;
      }
      case Outbox.Offer.Closed closed -> false;
    };
  }

  @Override
  public boolean send(Encoding encoding, byte[] bytes) {
    return send(Outgoing.rpc(encoding, bytes));
  }

  /** The transport's ping, after the dialect's heartbeat message when it has one. */
  @Override
  public boolean sendPing() {
    dialect.heartbeat().ifPresent(beat -> send(beat));
    return sink.ping();
  }

  private boolean send(Outgoing message) {
    return sink.isOpen() && deliver(message);
  }

  @Override
  public void close(int code, String reason) {
    sink.close(new CloseReason(code, reason));
  }

  /** Cuts the connection now (shutdown's last resort, a peer that broke the protocol). */
  void abort() {
    sink.abort();
  }

  /** True when nothing waits in the outbound queue and nothing is being written. */
  boolean drained() {
    return outbox.isEmpty();
  }

  // ---- what the sink reports

  /** One whole message arrived. */
  void received(Encoding encoding, byte[] message) {
    dialect.receive(encoding, message, connection);
  }

  /** The peer answered a ping of the transport's own. */
  void alive() {
    connection.alive();
  }

  /** The peer broke the transport's protocol: close with {@code code}, logged. */
  void violation(int code, String reason) {
    LogFields.device(this, log.atWarn()).log("{}: closing with {}: {}", name, code, reason);
    counters.recent.add(RecentEvents.Kind.ERROR, name, "closing with " + code + ": " + reason);
    connection.close(code, reason);
  }

  /**
   * A slow consumer leaves at once: it stops taking messages, frees its place (its close handshake
   * may take long, since it does not read), and is closed with {@link #SLOW_CONSUMER}. Counted and
   * logged once.
   */
  void slowConsumer(String why) {
    outbox.close();
    if (left.compareAndSet(false, true)) {
      counters.slowConsumers.increment();
      counters.recent.add(
          RecentEvents.Kind.SLOW_CONSUMER, name, "closing with " + SLOW_CONSUMER + ": " + why);
      LogFields.device(this, log.atWarn()).log("{}: closing with {}: {}", name, SLOW_CONSUMER, why);
      gone.run();
      connection.close(SLOW_CONSUMER, slowConsumerReason);
    }
  }

  /** The connection ended (either side started it); called once by the sink. */
  void transportClosed(int code, String reason) {
    meters.connectionClosed(sink.transport(), code, System.nanoTime() - openedNanos);
    span.setAttribute("websocket.close_code", code);
    span.end();
    outbox.close();
    connection.transportClosed(code, reason);
    LogFields.device(this, log.atDebug()).log("{}: disconnected with {}: {}", name, code, reason);
    if (left.compareAndSet(false, true)) {
      gone.run();
    }
  }

  @Override
  public String describe() {
    return name;
  }
}
