package dev.switchboard.webtransport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of each HTTP/3 request stream: an extended CONNECT for WebTransport on the configured
 * path becomes a session offered to the acceptor; anything else is answered with an error status.
 * Then it feeds the session the capsules of the stream's DATA frames. Owned by the event loop.
 */
final class ConnectStreamHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectStreamHandler.class);

  private final WtConnection connection;
  private SessionImpl session; // set once the request became a session

  ConnectStreamHandler(WtConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http3HeadersFrame headers && session == null) {
        onRequest((QuicStreamChannel) ctx.channel(), headers.headers());
      } else if (msg instanceof Http3DataFrame data && session != null) {
        session.capsuleData(data.content());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onRequest(QuicStreamChannel stream, Http3Headers headers) {
    String method = string(headers.method());
    String protocol = string(headers.get(":protocol"));
    String fullPath = string(headers.path());
    int q = fullPath.indexOf('?');
    String path = q < 0 ? fullPath : fullPath.substring(0, q);
    String query = q < 0 ? "" : fullPath.substring(q + 1);
    int status = 0;
    if ("CONNECT".equals(method) && !"webtransport".equals(protocol)) {
      status = 400;
    } else if (!connection.server().orElseThrow().path().equals(path)) {
      status = 404;
    } else if (!"CONNECT".equals(method)) {
      status = 405;
    }
    if (status != 0) {
      log.debug("{} {} {}: {}", method, fullPath, protocol, status);
      SessionImpl.respond(stream, status);
      return;
    }
    Optional<SessionImpl> created = connection.newSession(stream, query);
    if (created.isEmpty()) {
      log.debug(
          "CONNECT {}: {} sessions on this connection already: 429",
          fullPath,
          connection.server().orElseThrow().maxSessionsPerConnection());
      SessionImpl.respond(stream, 429);
      return;
    }
    session = created.get();
    SessionRequestImpl request =
        new SessionRequestImpl(
            session,
            path,
            query,
            string(headers.authority()),
            copy(headers),
            stream.parent().remoteSocketAddress());
    try {
      connection.acceptor().offer(request);
    } catch (RuntimeException e) {
      log.warn("session acceptor threw on session {}", session.id(), e);
      request.refuseQuietly(500, "acceptor failed");
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && session != null) {
      session.connectInputEnded();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      session.gone(0, SessionImpl.goneBecause(((QuicStreamChannel) ctx.channel()).parent()));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "request stream {}: {}", ((QuicStreamChannel) ctx.channel()).streamId(), cause.toString());
    if (session != null) {
      session.gone(ErrorCodes.H3_MESSAGE_ERROR, "CONNECT stream failed: " + cause.getMessage());
    }
    ctx.close();
  }

  private static Map<String, List<String>> copy(Http3Headers headers) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach(
        e ->
            copy.computeIfAbsent(e.getKey().toString(), k -> new ArrayList<>())
                .add(e.getValue().toString()));
    copy.replaceAll((k, v) -> List.copyOf(v));
    return Map.copyOf(copy);
  }

  private static String string(CharSequence value) {
    return value == null ? "" : value.toString();
  }
}
