package dev.switchboard.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import java.util.List;

/**
 * The sending half of permessage-deflate on one connection, which negotiated it without server
 * context takeover ({@link PerMessageDeflate}): each message of at least {@code minBytes} that goes
 * out as one frame is compressed alone ({@link MessageDeflater}) and sent with RSV1 set. Since the
 * compressed bytes depend on the message only, a message sent to many devices (its frame's content
 * an {@link OutgoingBytes}) is deflated by the first connection that sends it and the result shared
 * with the others ({@link dev.switchboard.gateway.Outgoing#compressed}). Shorter messages, messages
 * sent in several frames, and frames already compressed go out as they are, which RFC 7692 allows
 * message by message; control frames are not this encoder's.
 *
 * <p>Replaces Netty's PerMessageDeflateEncoder, which deflates every frame again for every
 * connection and, without context takeover, makes a new deflater for each message. Runs on the
 * connection's event loop.
 */
final class SharedDeflateEncoder extends WebSocketExtensionEncoder {

  private final int minBytes;

  SharedDeflateEncoder(int minBytes) {
    this.minBytes = minBytes;
  }

  @Override
  public boolean acceptOutboundMessage(Object msg) throws Exception {
    return (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)
        && ((WebSocketFrame) msg).isFinalFragment()
        && (((WebSocketFrame) msg).rsv() & WebSocketExtension.RSV1) == 0
        && ((WebSocketFrame) msg).content().readableBytes() >= minBytes;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
    ByteBuf content = frame.content();
    byte[] deflated =
        OutgoingBytes.messageOf(content)
            .map(message -> message.compressed(MessageDeflater::deflate))
            .orElseGet(() -> MessageDeflater.deflate(ByteBufUtil.getBytes(content)));
    ByteBuf payload = Unpooled.wrappedBuffer(deflated);
    int rsv = frame.rsv() | WebSocketExtension.RSV1;
    out.add(
        frame instanceof TextWebSocketFrame
            ? new TextWebSocketFrame(true, rsv, payload)
            : new BinaryWebSocketFrame(true, rsv, payload));
  }
}
