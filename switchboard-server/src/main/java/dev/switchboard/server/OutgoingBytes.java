package dev.switchboard.server;

import dev.switchboard.gateway.Outgoing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.Optional;

/**
 * A message's bytes as the content of the frame that carries it, remembering the message: on a
 * connection that compresses, {@link SharedDeflateEncoder} finds through it the compressed form
 * that the message's recipients share. Wraps the shared bytes without copying; nothing writes to
 * them.
 */
final class OutgoingBytes extends UnpooledHeapByteBuf {

  private final Outgoing message;

  OutgoingBytes(Outgoing message) {
    super(UnpooledByteBufAllocator.DEFAULT, message.bytes(), message.size());
    this.message = message;
  }

  /**
   * The whole message {@code content} carries, if it is an {@link OutgoingBytes} or a wrapper of
   * one (Vert.x wraps a frame's content so that it cannot be released); empty for any other buffer,
   * or for a part of a message.
   */
  static Optional<Outgoing> messageOf(ByteBuf content) {
    for (ByteBuf buffer = content; buffer != null; buffer = buffer.unwrap()) {
      if (buffer instanceof OutgoingBytes bytes) {
        return content.readableBytes() == bytes.message.size()
            ? Optional.of(bytes.message)
            : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
