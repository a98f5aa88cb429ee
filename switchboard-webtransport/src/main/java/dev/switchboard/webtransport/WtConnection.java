package dev.switchboard.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebTransport state of one QUIC connection, in its pipeline just before HTTP/3's handler: it
 * puts a sniffer first on every peer-opened bidirectional stream (a WebTransport stream is taken
 * from HTTP/3 before HTTP/3 sees it), takes the datagrams, and ends the sessions when the
 * connection goes. The same class serves both ends: a server's sessions come from CONNECTs offered
 * to its acceptor, a client's from the CONNECTs it sent. Every field is owned by the connection's
 * event loop.
 */
final class WtConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WtConnection.class);

  /** How long a client's connection outlives its closed session at most. */
  private static final long CLIENT_LINGER_MS = 2000;

  private final Optional<WebTransportSettings> server; // empty on a client
  private final SessionAcceptor acceptor;
  private final int maxDatagramSize;
  private final Map<Long, SessionImpl> sessions =
      new HashMap<>(); // pending and open, by CONNECT stream id
  private QuicChannel channel;

  private WtConnection(
      Optional<WebTransportSettings> server, SessionAcceptor acceptor, int maxDatagramSize) {
    this.server = server;
    this.acceptor = acceptor;
    this.maxDatagramSize = maxDatagramSize;
  }

  static WtConnection server(WebTransportSettings settings, SessionAcceptor acceptor) {
    return new WtConnection(Optional.of(settings), acceptor, settings.maxDatagramSize());
  }

  /** A client's connection: it never receives a CONNECT. */
  static WtConnection client(int maxDatagramSize) {
    return new WtConnection(
        Optional.empty(),
        request -> request.refuse(405, "a client accepts no sessions"),
        maxDatagramSize);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = (QuicChannel) ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof QuicStreamChannel stream) {
      if (stream.type() == QuicStreamType.BIDIRECTIONAL && !stream.isLocalCreated()) {
        stream.pipeline().addFirst(new BidiStreamSniffer(this));
        if (server.isEmpty()) {
          // HTTP/3 lets no server open a bidirectional stream, and its client handler would close
          // the connection: the stream is ours alone, registered as the pipeline's tail would.
          ctx.channel().eventLoop().register(stream);
          return;
        }
      }
      ctx.fireChannelRead(msg);
    } else if (msg instanceof ByteBuf datagram) {
      try {
        onDatagram(datagram);
      } finally {
        datagram.release();
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (SessionImpl session : new ArrayList<>(sessions.values())) {
      session.gone(0, SessionImpl.goneBecause(channel));
    }
    ctx.fireChannelInactive();
  }

  private void onDatagram(ByteBuf datagram) {
    long sessionId = DatagramPrefix.readSessionId(datagram);
    SessionImpl session = sessions.get(sessionId);
    if (session == null || datagram.readableBytes() > maxDatagramSize) {
      return; // unknown session or oversized: datagrams may be dropped
    }
    byte[] payload = new byte[datagram.readableBytes()];
    datagram.readBytes(payload);
    session.datagramReceived(payload);
  }

  QuicChannel channel() {
    return channel;
  }

  /** The server's settings: path and session limit; empty on a client. */
  Optional<WebTransportSettings> server() {
    return server;
  }

  int maxDatagramSize() {
    return maxDatagramSize;
  }

  boolean isClient() {
    return server.isEmpty();
  }

  SessionAcceptor acceptor() {
    return acceptor;
  }

  /** A new session, or empty when the connection holds its maximum already. */
  Optional<SessionImpl> newSession(QuicStreamChannel connectStream, String query) {
    if (server.isPresent() && sessions.size() >= server.get().maxSessionsPerConnection()) {
      return Optional.empty();
    }
    SessionImpl session = new SessionImpl(this, connectStream, query);
    sessions.put(session.id(), session);
    return Optional.of(session);
  }

  void removed(SessionImpl session) {
    sessions.remove(session.id());
    if (isClient() && sessions.isEmpty()) {
      // A client's connection carries its one session: it ends with it, once the CONNECT stream
      // has closed (its close capsule delivered) or after a grace period when it does not.
      ScheduledFuture<?> grace =
          channel
              .eventLoop()
              .schedule(() -> channel.close(), CLIENT_LINGER_MS, TimeUnit.MILLISECONDS);
      session
          .connectStream()
          .closeFuture()
          .addListener(
              f -> {
                grace.cancel(false);
                channel.close();
              });
    }
  }

  /**
   * A peer-opened stream named session {@code sessionId}: attach it with the payload that followed
   * its header, or reset it when there is no such session.
   */
  void streamOpened(
      QuicStreamChannel stream, long sessionId, boolean bidirectional, ByteBuf early) {
    SessionImpl session = sessions.get(sessionId);
    log.debug(
        "{} stream {} opened for session {}",
        bidirectional ? "bidi" : "uni",
        stream.streamId(),
        sessionId);
    if (session == null || session.isClosed()) {
      early.release();
      log.debug("stream {} names unknown session {}: reset", stream.streamId(), sessionId);
      StreamImpl.abandon(stream, ErrorCodes.BUFFERED_STREAM_REJECTED);
      return;
    }
    session.peerStreamOpened(stream, bidirectional, early);
  }
}
