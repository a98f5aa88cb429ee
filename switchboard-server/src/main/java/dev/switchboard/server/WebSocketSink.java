package dev.switchboard.server;

import dev.switchboard.gateway.Outgoing;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.websocket.MessageAssembler;
import dev.switchboard.websocket.Utf8;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket under a {@link Session}: frames arrive on the connection's event loop and are
 * joined into messages here (so the size limit holds before a large message is buffered), checked
 * (UTF-8, RFC 6455 violations through {@link FrameGuard}) and handed to the session; the session's
 * outbound queue writes each message as one frame.
 */
final class WebSocketSink implements SessionSink {

  private static final Logger log = LoggerFactory.getLogger(WebSocketSink.class);

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
  private final int maxMessageBytes;
  private final int maxOwedPongs;

  /** Event-loop only. */
  private final MessageAssembler assembler;

  /** Set once by {@link #start}, before any frame is read. */
  private volatile Session session;

  /**
   * @param maxOwedPongs pings the peer may leave unread before it counts as a slow consumer
   */
  WebSocketSink(ServerWebSocket socket, int maxMessageBytes, int maxOwedPongs) {
    this.socket = socket;
    this.maxMessageBytes = maxMessageBytes;
    this.maxOwedPongs = maxOwedPongs;
    this.assembler = new MessageAssembler(maxMessageBytes);
  }

  @Override
  public String transport() {
    return "ws";
  }

  @Override
  public String remote() {
    return String.valueOf(socket.remoteAddress());
  }

  /** Wires the socket's events to {@code session}; called on the event loop. */
  @Override
  public void start(Session session) {
    this.session = session;
    socket.frameHandler(this::onFrame);
    socket.closeHandler(
        v -> {
          Short code = socket.closeStatusCode();
          String reason = socket.closeReason();
          session.transportClosed(
              code == null ? CloseCodes.ABNORMAL : code, reason == null ? "" : reason);
        });
    socket.exceptionHandler(this::onException);
    socket.pongHandler(pong -> session.alive());
    FrameGuard.install(
        channel().pipeline(),
        new FrameGuard.Listener() {
          @Override
          public void violation(int code, String reason) {
            fail(code, reason);
          }

          @Override
          public void pingFlood(String reason) {
            session.slowConsumer(reason);
          }

          @Override
          public void alive() {
            session.alive();
          }
        },
        maxOwedPongs);
    if (socket.isClosed()) {
      // Closed before its close handler was set: report it now.
      session.transportClosed(CloseCodes.ABNORMAL, "");
    }
  }

  /**
   * Writes one whole message as a single frame, built on the shared bytes (Vert.x's public API only
   * makes text frames from a String, which would encode the message again for every recipient). The
   * frame's content remembers the message ({@link OutgoingBytes}): on a connection that negotiated
   * permessage-deflate, {@link SharedDeflateEncoder} sends the message's compressed form, made once
   * for all its recipients.
   */
  @Override
  public void write(Outgoing message, Runnable done) {
    if (socket.isClosed()) {
      // Vert.x's outbound queue is disposed once closing starts; a write from another thread then
      // reaches the channel off its event loop (harmless in Netty, but Vert.x asserts against it).
      done.run();
      return;
    }
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
      fail(code, e.getMessage());
    } else if (inflating.isPresent()) {
      // The bounded inflater of Connections stopped at the size limit (or the data was not deflate
      // at all).
      boolean tooBig = String.valueOf(inflating.get().getMessage()).contains("maximum size");
      int code = tooBig ? CloseCodes.MESSAGE_TOO_BIG : CloseCodes.PROTOCOL_ERROR;
      String reason =
          tooBig
              ? "a compressed message inflates beyond " + maxMessageBytes + " bytes"
              : "a compressed message is not valid deflate data";
      fail(code, reason);
    } else {
      log.debug("{}: {}", session.describe(), e.toString());
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
          fail(CloseCodes.INVALID_PAYLOAD, "a text message is not valid UTF-8");
          return;
        }
        session.received(complete.encoding(), complete.bytes());
      }
      case MessageAssembler.TooBig tooBig -> {
        fail(CloseCodes.MESSAGE_TOO_BIG, tooBig.reason());
      }
    }
  }

  /**
   * The peer broke the protocol (RFC 6455 section 7.1.7): the session closes with {@code code}, and
   * the connection is cut {@link #FAIL_GRACE_MILLIS} later, time enough to read the close frame,
   * instead of waiting out the close grace of a close handshake.
   */
  private void fail(int code, String reason) {
    session.violation(code, reason);
    channel().executor().schedule(this::abort, FAIL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean ping() {
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
  public void close(CloseReason closing) {
    int code = closing.code();
    String reason = closing.reason();
    if (!socket.isClosed()) {
      // A close reason is limited to 123 bytes by RFC 6455.
      socket.close((short) code, CloseCodes.fitReason(reason));
      channel()
          .executor()
          .schedule(
              () -> {
                if (channel().channel().isOpen()) {
                  LogFields.device(session, log.atInfo())
                      .log(
                          "{}: no close handshake within {} s; cutting the connection",
                          session.describe(),
                          CLOSE_GRACE_SECONDS);
                  abort();
                }
              },
              CLOSE_GRACE_SECONDS,
              TimeUnit.SECONDS);
    }
  }

  @Override
  public boolean isOpen() {
    return !socket.isClosed();
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
  @Override
  public void abort() {
    FrameGuard.cut(channel().channel());
  }

  private ChannelHandlerContext channel() {
    return ((WebSocketImplBase<?>) socket).channelHandlerContext();
  }
}
