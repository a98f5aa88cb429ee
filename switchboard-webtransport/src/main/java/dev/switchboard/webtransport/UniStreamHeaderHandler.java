package dev.switchboard.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Put on a peer-opened unidirectional stream of type {@code 0x54} by HTTP/3 (which has read the
 * type): reads the session id, then hands the stream to its session. Owned by the event loop.
 */
final class UniStreamHeaderHandler extends ChannelInboundHandlerAdapter {
  private final WtConnection connection;
  private final StreamHeaderReader header = StreamHeaderReader.sessionIdOnly();

  UniStreamHeaderHandler(WtConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf chunk)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (header.read(chunk) instanceof StreamHeader.WebTransport wt) {
      ctx.pipeline().remove(this);
      connection.streamOpened((QuicStreamChannel) ctx.channel(), wt.sessionId(), false, chunk);
    } else {
      chunk.release(); // all header bytes
    }
  }

  @Override
  public boolean isSharable() {
    return false;
  }
}
