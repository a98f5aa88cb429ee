package dev.switchboard.server;

import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.LimitExceededException;
import dev.switchboard.gateway.Outgoing;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.StreamId;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.CloseReason;
import io.netty.channel.Channel;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SSE response under a {@link Session}: a one-way stream of {@link SseEvents}. Nothing comes in;
 * a dead peer is found by the heartbeats ({@code sse.heartbeat_seconds}) failing to be written, and
 * a peer that stops reading fills its outbound queue and leaves as a slow consumer.
 *
 * <p>The event id ({@link SseEventId}) is the position of every stream the connection follows, as
 * of the event that carries it. It starts from the client's {@code Last-Event-ID}, moves with each
 * notification as it is <em>written</em> (never as it is queued), and takes the positions the join
 * reports ({@link #joined}) through the outbound queue, behind the replay the join queued: so an id
 * never claims a notification that was not written before it on this connection.
 *
 * <p>Threads: everything touching the response, and the id, runs on the connection's event loop.
 * {@link #write} and {@link #close} may be called from any thread; they hand their work to the
 * event loop in call order (the outbound queue calls {@code write} one at a time, in order), so
 * events go out in the order they were queued and a close comes after every write before it.
 */
final class SseSink implements SessionSink {

  private static final Logger log = LoggerFactory.getLogger(SseSink.class);

  /**
   * Close code of a stream whose join failed (RFC 6455's "internal error"); see {@link #joined}.
   */
  static final int JOIN_FAILED = 1011;

  /**
   * How long a closing stream's last events may take to be written before the connection is cut (as
   * a WebSocket's close handshake): a slow consumer that reads again within it still learns why it
   * was closed.
   */
  static final int CLOSE_GRACE_SECONDS = WebSocketSink.CLOSE_GRACE_SECONDS;

  /** Work the sink queued for itself in the session's outbound queue, behind what was there. */
  private sealed interface Own {
    /** The positions a join reported: the id catches up with them. */
    record Positions(List<Position> at) implements Own {}

    /** An event of the sink's own (a {@code not_recovered} error). */
    record Event(byte[] bytes) implements Own {}
  }

  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Context context;
  private final Clock clock;
  private final Duration heartbeat;
  private final String remote;

  /** The outbound queue's entries that are the sink's own, by identity ({@link Outgoing}). */
  private final Map<Outgoing, Own> own = new ConcurrentHashMap<>();

  /** False once closing began: nothing new may be queued. */
  private volatile boolean open = true;

  /** Whether the client's last event id names the inbox: the join then tries to resume it. */
  private final boolean resumesInbox;

  /** Set once by {@link #start}, on the event loop. */
  private volatile Session session;

  private final AtomicBoolean reported = new AtomicBoolean();

  /** Event loop only: where the stream stands, and its event id. */
  private final SseCursor cursor;

  /** Event loop only: the stream ended (the final event was written or the peer left). */
  private boolean ended;

  /** Event loop only: the why of our own close, once it began. */
  private Optional<CloseReason> closing = Optional.empty();

  /** Event loop only: the heartbeat timer, once started. */
  private long heartbeatTimer = -1;

  /**
   * @param resumeFrom the positions of the client's {@code Last-Event-ID}, only of the streams this
   *     connection follows
   */
  SseSink(
      HttpServerRequest request,
      Context context,
      Clock clock,
      Duration heartbeat,
      List<Position> resumeFrom) {
    this.request = request;
    this.response = request.response();
    this.context = context;
    this.clock = clock;
    this.heartbeat = heartbeat;
    this.remote = String.valueOf(request.remoteAddress());
    this.cursor = new SseCursor(resumeFrom);
    this.resumesInbox = resumeFrom.stream().anyMatch(p -> p.stream() instanceof StreamId.Inbox);
  }

  @Override
  public String transport() {
    return "sse";
  }

  @Override
  public String remote() {
    return remote;
  }

  /**
   * Starts the stream: the response head, {@code connected}, and the heartbeat. Called on the event
   * loop, before any message queued meanwhile is written (those wait for the loop's next turn).
   */
  @Override
  public void start(Session session) {
    this.session = session;
    if (response.closed()) {
      // The client left while it was being admitted.
      ended = true;
      report(CloseReason.CONNECTION_LOST, "the client left before the stream began");
      return;
    }
    response
        .setStatusCode(200)
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(v -> peerLeft());
    response.exceptionHandler(e -> log.debug("{}: {}", session.describe(), e.toString()));
    send(SseEvents.connected(session.id(), Tenant.userName(session.userId())), () -> {});
    heartbeatTimer = context.owner().setPeriodic(Math.max(1, heartbeat.toMillis()), t -> beat());
  }

  /**
   * Told what the join did (on a virtual thread, once the replay is queued): streams that could not
   * be resumed get a {@code not_recovered} error, then the id catches up with where every stream
   * stood, both behind the replay. A failed join ends the stream with {@link #JOIN_FAILED}: a
   * stream that silently misses a channel would be worse than a reconnect.
   */
  void joined(Sessions.Joined joined) {
    Session session = this.session;
    if (joined.failure().isPresent()) {
      RuntimeException e = joined.failure().get();
      String why =
          e instanceof LimitExceededException || e instanceof IllegalArgumentException
              ? e.getMessage()
              : "the delivery store failed; reconnect later";
      session.connection().close(JOIN_FAILED, "could not join the streams: " + why);
      return;
    }
    List<String> lost = new ArrayList<>();
    List<Position> at = new ArrayList<>();
    if (joined.inbox().isPresent()) {
      Deliveries.Connected inbox = joined.inbox().get();
      if (resumesInbox && !inbox.resumed()) {
        lost.add(StreamId.INBOX_KEY);
      }
      at.add(inbox.inbox());
    }
    if (joined.channels().isPresent()) {
      Deliveries.Subscribed channels = joined.channels().get();
      channels
          .recovered()
          .forEach(
              (name, recovered) -> {
                if (!recovered) {
                  lost.add(name);
                }
              });
      at.addAll(channels.positions().values());
    }
    if (!lost.isEmpty()) {
      log.debug("{}: could not resume {}", session.describe(), lost);
      queue(new Own.Event(SseEvents.notRecovered(lost)));
    }
    queue(new Own.Positions(at));
  }

  private void queue(Own work) {
    Outgoing marker = Outgoing.rpc(Encoding.JSON, new byte[0]);
    own.put(marker, work);
    if (!session.deliver(marker)) {
      own.remove(marker);
    }
  }

  @Override
  public void write(Outgoing message, Runnable done) {
    if (!open) {
      own.remove(message);
      done.run();
      return;
    }
    context.runOnContext(v -> writeNow(message, done));
  }

  /** On the event loop, in the order {@link #write} was called. */
  private void writeNow(Outgoing message, Runnable done) {
    Own mine = own.remove(message);
    if (ended || closing.isPresent()) {
      done.run(); // the stream's final event is written or on its way: nothing may follow it
      return;
    }
    Optional<byte[]> event;
    try {
      event = render(message, mine);
    } catch (RuntimeException e) {
      LogFields.device(session, log.atError())
          .setCause(e)
          .log("{}: cannot write {} as an SSE event", session.describe(), message);
      event = Optional.empty();
    }
    if (event.isEmpty()) {
      done.run();
      return;
    }
    send(event.get(), done);
  }

  private Optional<byte[]> render(Outgoing message, Own mine) {
    if (mine != null) {
      return switch (mine) {
        case Own.Event e -> Optional.of(e.bytes());
        case Own.Positions p -> {
          cursor.catchUp(p.at());
          yield cursor.id().map(SseEvents::idOnly);
        }
      };
    }
    if (message.priority().isPresent()) {
      message.position().ifPresent(cursor::wrote);
      return Optional.of(SseEvents.notification(message.bytes(), cursor.id()));
    }
    if (message.encoding() != Encoding.JSON) {
      return Optional.empty();
    }
    Optional<byte[]> event = SseEvents.rpc(message.bytes());
    if (event.isEmpty()) {
      log.debug("{}: {} has no SSE form; not sent", session.describe(), message);
    }
    return event;
  }

  /** On the event loop. */
  private void beat() {
    if (!ended && closing.isEmpty()) {
      send(SseEvents.heartbeat(clock.instant()), () -> {});
    }
  }

  /** On the event loop: one whole event out; {@code done} once written or failed. */
  private void send(byte[] event, Runnable done) {
    if (response.ended() || response.closed()) {
      done.run();
      return;
    }
    try {
      response.write(Buffer.buffer(event)).onComplete(written -> done.run());
    } catch (IllegalStateException e) { // ended meanwhile by Vert.x itself
      done.run();
    }
  }

  @Override
  public boolean ping() {
    return false; // SSE has none; heartbeats are written without waiting for an answer
  }

  /**
   * Writes the {@code error} event saying why, after everything queued before this call, and ends
   * the stream; cuts the connection if that has not been written within {@link
   * #CLOSE_GRACE_SECONDS}.
   */
  @Override
  public void close(CloseReason reason) {
    open = false;
    context.runOnContext(v -> closeNow(reason));
  }

  private void closeNow(CloseReason reason) {
    if (ended || closing.isPresent()) {
      return;
    }
    closing = Optional.of(reason);
    stopHeartbeat();
    if (response.ended() || response.closed()) {
      report(reason.code(), reason.reason());
      return;
    }
    send(SseEvents.closing(reason), () -> {});
    response
        .end()
        .onComplete(
            done -> {
              ended = true;
              report(reason.code(), reason.reason());
              request.connection().close();
            });
    context
        .owner()
        .setTimer(
            CLOSE_GRACE_SECONDS * 1000L,
            t -> {
              if (channel().isOpen() && !ended) {
                Session s = session; // null when closed before it started
                (s == null ? log.atInfo() : LogFields.device(s, log.atInfo()))
                    .log(
                        "{}: stream not finished within {} s of closing; cutting the connection",
                        describe(),
                        CLOSE_GRACE_SECONDS);
                abort();
              }
            });
  }

  /** On the event loop: the connection ended before the response did. */
  private void peerLeft() {
    ended = true;
    open = false;
    stopHeartbeat();
    CloseReason why =
        closing.orElse(new CloseReason(CloseReason.CONNECTION_LOST, "the client went away"));
    report(why.code(), why.reason());
  }

  private void stopHeartbeat() {
    if (heartbeatTimer >= 0) {
      context.owner().cancelTimer(heartbeatTimer);
      heartbeatTimer = -1;
    }
  }

  /** Tells the session, once, that the stream is over. */
  private void report(int code, String reason) {
    open = false;
    if (reported.compareAndSet(false, true)) {
      session.transportClosed(code, reason);
    }
  }

  @Override
  public void abort() {
    FrameGuard.cut(channel());
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Whether the TCP connection is still open (tests look: a closed stream may still hold one). */
  boolean socketOpen() {
    return channel().isOpen();
  }

  private String describe() {
    Session s = session;
    return s == null ? "sse " + remote : s.describe();
  }

  private Channel channel() {
    return ((HttpServerConnection) request.connection()).channelHandlerContext().channel();
  }
}
