package dev.switchboard.server;

import dev.switchboard.websocket.CloseCodes;
import dev.switchboard.websocket.Utf8;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Checks what RFC 6455 leaves to the endpoint before Vert.x sees a frame, and answers pings itself
 * so that answers cannot pile up:
 *
 * <ul>
 *   <li>a frame with RSV bits that no negotiated extension consumed (a negotiated
 *       permessage-deflate decoder sits before this handler and clears RSV1) is a protocol error:
 *       1002;
 *   <li>a close frame with a code outside RFC 6455's allowed ranges (1000-1003, 1007-1014,
 *       3000-4999) is a protocol error: 1002;
 *   <li>a close frame whose reason is not UTF-8 is invalid data: 1007;
 *   <li>a ping is answered at once while the socket takes writes; while it does not (the peer
 *       stopped reading), only the latest is answered later (RFC 6455 section 5.5.3 allows that),
 *       and a peer that sends more than {@code maxOwedPongs} pings meanwhile is cut off as a slow
 *       consumer.
 * </ul>
 *
 * Event-loop only.
 */
final class FrameGuard extends ChannelInboundHandlerAdapter {

  /** What the guard tells the connection. Called on the event loop. */
  interface Listener {
    /** The peer broke the protocol; close with {@code code}. */
    void violation(int code, String reason);

    /** The peer sends pings faster than it reads their answers. */
    void pingFlood(String reason);

    /** A ping arrived: the peer is alive. */
    void alive();
  }

  /**
   * Its name in the pipeline; a close from its context skips Vert.x's graceful close (see {@link
   * #cut}).
   */
  static final String NAME = "switchboard-frame-guard";

  private final Listener listener;
  private final int maxOwedPongs;

  /** The latest ping's payload, owed an answer once the socket takes writes again. */
  private ByteBuf owed;

  /** Pings received since the socket last took a write. */
  private int owedCount;

  private FrameGuard(Listener listener, int maxOwedPongs) {
    this.listener = listener;
    this.maxOwedPongs = maxOwedPongs;
  }

  /** Puts a guard just before Vert.x's own handler in a WebSocket's pipeline. */
  static void install(ChannelPipeline pipeline, Listener listener, int maxOwedPongs) {
    pipeline.addBefore("handler", NAME, new FrameGuard(listener, maxOwedPongs));
  }

  /**
   * Resets the TCP connection now. A plain {@code channel.close()} passes through Vert.x's handler,
   * which turns it into a graceful close that waits for the close handshake (a WebSocket) or for
   * the response to be written (an SSE stream): forever for a peer that stopped reading. Closing
   * from the guard's context, or else from the pipeline's first, goes straight to the socket.
   */
  static void cut(Channel channel) {
    if (!channel.isOpen()) {
      return;
    }
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
    ChannelHandlerContext guard = channel.pipeline().context(NAME);
    ChannelHandlerContext from = guard != null ? guard : channel.pipeline().firstContext();
    if (from != null) {
      from.close();
    } else {
      channel.close();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (frame.rsv() != 0) {
      frame.release();
      listener.violation(
          CloseCodes.PROTOCOL_ERROR,
          "a frame has RSV bits " + frame.rsv() + " set but no extension was negotiated");
      return;
    }
    if (frame instanceof CloseWebSocketFrame close
        && close.content().readableBytes() >= 2
        && !CloseCodes.isAllowedOnTheWire(close.statusCode())) {
      int code = close.statusCode();
      frame.release();
      listener.violation(
          CloseCodes.PROTOCOL_ERROR, "close code " + code + " is not allowed by RFC 6455");
      return;
    }
    if (frame instanceof CloseWebSocketFrame close && !hasUtf8Reason(close.content())) {
      frame.release();
      listener.violation(CloseCodes.INVALID_PAYLOAD, "a close frame's reason is not valid UTF-8");
      return;
    }
    if (frame instanceof PingWebSocketFrame ping) {
      listener.alive();
      answer(ctx, ping.content());
      ping.release();
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * Whether a close frame's reason (after its two-byte code) is valid UTF-8, as RFC 6455 section
   * 5.5.1 requires. Netty checks it too, but lets a sequence cut short at the very end through.
   */
  private static boolean hasUtf8Reason(ByteBuf content) {
    int length = content.readableBytes() - 2;
    if (length <= 0) {
      return true;
    }
    byte[] reason = ByteBufUtil.getBytes(content, content.readerIndex() + 2, length);
    return Utf8.isValid(reason, length);
  }

  private void answer(ChannelHandlerContext ctx, ByteBuf payload) {
    if (ctx.channel().isWritable()) {
      ctx.writeAndFlush(new PongWebSocketFrame(payload.retain()));
      owedCount = 0;
      return;
    }
    if (owed != null) {
      owed.release();
      owed = null;
    }
    owedCount++;
    if (owedCount <= maxOwedPongs) {
      owed = payload.retain();
    } else if (owedCount == maxOwedPongs + 1) {
      // Nothing more is read from it: its pings would only cost CPU until the connection is cut.
      ctx.channel().config().setAutoRead(false);
      listener.pingFlood("more than " + maxOwedPongs + " pings while the outbound queue was full");
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && owed != null) {
      ByteBuf payload = owed;
      owed = null;
      owedCount = 0;
      ctx.writeAndFlush(new PongWebSocketFrame(payload));
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (owed != null) {
      owed.release();
      owed = null;
    }
  }
}
