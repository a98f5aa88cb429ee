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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebTransport state of one QUIC connection, in its pipeline just before HTTP/3's handler: it
 * puts a sniffer first on every peer-opened bidirectional stream (a WebTransport stream is taken
 * from HTTP/3 before HTTP/3 sees it), takes the datagrams, and ends the sessions when the
 * connection goes. Every field is owned by the connection's event loop.
 */
final class WtConnection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WtConnection.class);

  private final WebTransportSettings settings;
  private final SessionAcceptor acceptor;
  private final Map<Long, SessionImpl> sessions =
      new HashMap<>(); // pending and open, by CONNECT stream id
  private QuicChannel channel;

  WtConnection(WebTransportSettings settings, SessionAcceptor acceptor) {
    this.settings = settings;
    this.acceptor = acceptor;
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
      session.gone(0, "connection closed");
    }
    ctx.fireChannelInactive();
  }

  private void onDatagram(ByteBuf datagram) {
    long sessionId = DatagramPrefix.readSessionId(datagram);
    SessionImpl session = sessions.get(sessionId);
    if (session == null || datagram.readableBytes() > settings.maxDatagramSize()) {
      return; // unknown session or oversized: datagrams may be dropped
    }
    byte[] payload = new byte[datagram.readableBytes()];
    datagram.readBytes(payload);
    session.datagramReceived(payload);
  }

  QuicChannel channel() {
    return channel;
  }

  WebTransportSettings settings() {
    return settings;
  }

  SessionAcceptor acceptor() {
    return acceptor;
  }

  /** A new session, or empty when the connection holds its maximum already. */
  Optional<SessionImpl> newSession(QuicStreamChannel connectStream, String query) {
    if (sessions.size() >= settings.maxSessionsPerConnection()) {
      return Optional.empty();
    }
    SessionImpl session = new SessionImpl(this, connectStream, query);
    sessions.put(session.id(), session);
    return Optional.of(session);
  }

  void removed(SessionImpl session) {
    sessions.remove(session.id());
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
