package dev.switchboard.server;

import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.Outbox;
import dev.switchboard.gateway.OutboxLimits;
import dev.switchboard.gateway.Outgoing;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.CloseCodes;
import dev.switchboard.rpc.MessageAssembler;
import dev.switchboard.rpc.RpcConnection;
import dev.switchboard.rpc.Transport;
import dev.switchboard.rpc.Utf8;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.websocket.WebSocketFrameImpl;
import io.vertx.core.http.impl.websocket.WebSocketImplBase;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-side WebSocket: the transport under its {@link RpcConnection} and the {@link Device}
 * the gateway delivers to. Frames arrive on the connection's event loop and are joined into
 * messages here (so the size limit holds before a large message is buffered). Everything sent, RPC
 * answers and notifications alike, goes through one bounded {@link Outbox}, in order; a device that
 * cannot keep up is closed with {@link #SLOW_CONSUMER}.
 */
final class WebSocketTransport implements Transport, Device {

  private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);

  /** Close code for a device whose outbound queue overflowed (private-use range of RFC 6455). */
  static final int SLOW_CONSUMER = 4008;

  private static final byte[] PING = {'s', 'b'};

  /**
   * How long a close handshake may take before the connection is cut (Vert.x's closing timeout is
   * the same): a slow consumer that reads again within it still learns why it was closed.
   */
  static final int CLOSE_GRACE_SECONDS = 10;

  /**
   * How long a peer that broke the protocol has to read its close frame before the connection is
   * cut.
   */
  static final long FAIL_GRACE_MILLIS = 500;

  private final ServerWebSocket socket;
  private final String id;
  private final Identity identity;
  private final String name;

  /** Event-loop only. */
  private final MessageAssembler assembler;

  private final Outbox outbox;
  private final ServerCounters counters;
  private final String slowConsumerReason;
  private final int maxMessageBytes;
  private final int maxOwedPongs;
  private volatile RpcConnection connection;

  /**
   * Runs once when the device leaves: on close, or at once when it is cut off as a slow consumer.
   */
  private volatile Runnable gone = () -> {};

  private final AtomicBoolean left = new AtomicBoolean();

  WebSocketTransport(
      ServerWebSocket socket,
      String id,
      Identity identity,
      int maxMessageBytes,
      OutboxLimits limits,
      ServerCounters counters) {
    this.socket = socket;
    this.id = id;
    this.identity = identity;
    this.name = "ws " + id + " user " + identity.userId() + " " + socket.remoteAddress();
    this.assembler = new MessageAssembler(maxMessageBytes);
    this.maxMessageBytes = maxMessageBytes;
    this.maxOwedPongs = limits.maxMessages();
    this.outbox = new Outbox(limits, this::write);
    this.counters = counters;
    this.slowConsumerReason =
        "slow consumer: outbound queue full ("
            + limits.maxMessages()
            + " messages / "
            + limits.maxBytes()
            + " bytes)";
  }

  /**
   * Wires the socket's events to {@code rpc}; call once, on the event loop, before any frame is
   * read.
   */
  void attach(RpcConnection rpc, Runnable onClosed) {
    this.connection = rpc;
    this.gone = onClosed;
    socket.frameHandler(this::onFrame);
    socket.closeHandler(
        v -> {
          outbox.close();
          Short code = socket.closeStatusCode();
          String reason = socket.closeReason();
          rpc.transportClosed(
              code == null ? CloseCodes.ABNORMAL : code, reason == null ? "" : reason);
          leave();
        });
    socket.exceptionHandler(this::onException);
    socket.pongHandler(pong -> rpc.alive());
    FrameGuard.install(
        channel().pipeline(),
        new FrameGuard.Listener() {
          @Override
          public void violation(int code, String reason) {
            log.warn("{}: closing with {}: {}", name, code, reason);
            rpc.close(code, reason);
            // A peer that breaks the protocol gets its close frame, not the close grace (RFC 6455
            // section 7.1.7).
            channel()
                .executor()
                .schedule(WebSocketTransport.this::abort, FAIL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
          }

          @Override
          public void pingFlood(String reason) {
            cutOff(reason);
          }

          @Override
          public void alive() {
            rpc.alive();
          }
        },
        maxOwedPongs);
  }

  RpcConnection connection() {
    return connection;
  }

  Outbox outbox() {
    return outbox;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String userId() {
    return identity.userId();
  }

  /**
   * Who connected: user id, roles and tenant from the token (tenants are used from a later version
   * on).
   */
  Identity identity() {
    return identity;
  }

  @Override
  public boolean deliver(Outgoing message) {
    return switch (outbox.offer(message)) {
      case Outbox.Offer.Accepted accepted -> {
        if (accepted.dropped() > 0) {
          counters.dropped.add(accepted.dropped());
          log.debug("{}: dropped {} old notifications to make room", name, accepted.dropped());
        }
        yield true;
      }
      case Outbox.Offer.Overflow overflow -> {
        cutOff(overflow.reason());
        yield false;
      }
      case Outbox.Offer.Closed closed -> false;
    };
  }

  /**
   * A slow consumer leaves at once: it stops taking messages, frees its place (its close handshake
   * may take long, since it does not read), and is closed with {@link #SLOW_CONSUMER}. Counted and
   * logged once.
   */
  private void cutOff(String why) {
    outbox.close();
    if (left.compareAndSet(false, true)) {
      counters.slowConsumers.increment();
      log.warn("{}: closing with {}: {}", name, SLOW_CONSUMER, why);
      gone.run();
      connection.close(SLOW_CONSUMER, slowConsumerReason);
    }
  }

  private void leave() {
    if (left.compareAndSet(false, true)) {
      gone.run();
    }
  }

  @Override
  public boolean send(Encoding encoding, byte[] bytes) {
    return !socket.isClosed() && deliver(Outgoing.rpc(encoding, bytes));
  }

  /**
   * Writes one whole message as a single frame, built on the shared bytes (Vert.x's public API only
   * makes text frames from a String, which would encode the message again for every recipient). The
   * frame's content remembers the message ({@link OutgoingBytes}): on a connection that negotiated
   * permessage-deflate, {@link SharedDeflateEncoder} sends the message's compressed form, made once
   * for all its recipients.
   */
  private void write(Outgoing message, Runnable done) {
    WebSocketFrameType type =
        message.encoding() == Encoding.JSON ? WebSocketFrameType.TEXT : WebSocketFrameType.BINARY;
    socket
        .writeFrame(new WebSocketFrameImpl(type, new OutgoingBytes(message), true))
        .onComplete(result -> done.run());
  }

  /**
   * Netty rejects a single frame over the limit before we see it; Vert.x would then close with
   * 1000, so the close code the decoder chose (1009 for size) is applied here, and logged.
   */
  private void onException(Throwable e) {
    Optional<DecompressionException> inflating = decompressionFailure(e);
    if (e instanceof CorruptedWebSocketFrameException corrupted) {
      int code = corrupted.closeStatus().code();
      log.warn("{}: closing with {}: {}", name, code, e.getMessage());
      connection.close(code, e.getMessage());
    } else if (inflating.isPresent()) {
      // The bounded inflater of Connections stopped at the size limit (or the data was not deflate
      // at all).
      boolean tooBig = String.valueOf(inflating.get().getMessage()).contains("maximum size");
      int code = tooBig ? CloseCodes.MESSAGE_TOO_BIG : CloseCodes.PROTOCOL_ERROR;
      String reason =
          tooBig
              ? "a compressed message inflates beyond " + maxMessageBytes + " bytes"
              : "a compressed message is not valid deflate data";
      log.warn("{}: closing with {}: {}", name, code, reason);
      connection.close(code, reason);
    } else {
      log.debug("{}: {}", name, e.toString());
    }
  }

  /** The inflater's own failure, wherever Netty's decoders wrapped it. */
  private static Optional<DecompressionException> decompressionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DecompressionException failure) {
        return Optional.of(failure);
      }
    }
    return Optional.empty();
  }

  private void onFrame(WebSocketFrame frame) {
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return; // pings are FrameGuard's, pongs and close Vert.x's
    }
    boolean first = !frame.isContinuation();
    byte[] bytes = frame.binaryData().getBytes();
    Encoding encoding = frame.isBinary() ? Encoding.MSGPACK : Encoding.JSON;
    switch (assembler.add(encoding, first, bytes, bytes.length, frame.isFinal())) {
      case MessageAssembler.Incomplete incomplete -> {}
      case MessageAssembler.Complete complete -> {
        if (complete.encoding() == Encoding.JSON
            && !Utf8.isValid(complete.bytes(), complete.bytes().length)) {
          log.warn("{}: closing with 1007: a text message is not valid UTF-8", name);
          connection.close(CloseCodes.INVALID_PAYLOAD, "a text message is not valid UTF-8");
          return;
        }
        connection.receive(complete.encoding(), complete.bytes());
      }
      case MessageAssembler.TooBig tooBig -> {
        log.warn("{}: closing with 1009: {}", name, tooBig.reason());
        connection.close(CloseCodes.MESSAGE_TOO_BIG, tooBig.reason());
      }
    }
  }

  @Override
  public boolean sendPing() {
    if (socket.isClosed()) {
      return false;
    }
    socket.writePing(Buffer.buffer(PING));
    return true;
  }

  /**
   * Sends the close frame, and cuts the TCP connection if the close handshake has not ended within
   * {@link #CLOSE_GRACE_SECONDS}. Vert.x's own closing timeout starts only once our close frame is
   * written, which never happens for a peer that stopped reading (the frame waits behind unread
   * data).
   */
  @Override
  public void close(int code, String reason) {
    if (!socket.isClosed()) {
      // A close reason is limited to 123 bytes by RFC 6455.
      socket.close((short) code, reason.length() > 120 ? reason.substring(0, 120) : reason);
      channel()
          .executor()
          .schedule(
              () -> {
                if (channel().channel().isOpen()) {
                  log.info(
                      "{}: no close handshake within {} s; cutting the connection",
                      name,
                      CLOSE_GRACE_SECONDS);
                  abort();
                }
              },
              CLOSE_GRACE_SECONDS,
              TimeUnit.SECONDS);
    }
  }

  /**
   * Whether the TCP connection is still open (tests look: a device that left may still hold a
   * socket).
   */
  boolean socketOpen() {
    return channel().channel().isOpen();
  }

  /**
   * Cuts the TCP connection now, without a close handshake, by a reset: whatever the kernel still
   * holds for the peer is dropped with it, instead of lingering while a peer that does not read
   * keeps its window shut.
   */
  void abort() {
    FrameGuard.cut(channel().channel());
  }

  private ChannelHandlerContext channel() {
    return ((WebSocketImplBase<?>) socket).channelHandlerContext();
  }

  @Override
  public String describe() {
    return name;
  }
}
