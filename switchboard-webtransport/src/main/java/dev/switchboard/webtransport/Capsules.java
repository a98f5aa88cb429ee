package dev.switchboard.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** Writes the capsules a server sends on a CONNECT stream. */
final class Capsules {
  private Capsules() {}

  /** A CLOSE_WEBTRANSPORT_SESSION capsule with {@code close}'s code and reason. */
  static ByteBuf encode(ByteBufAllocator alloc, Capsule.Close close) {
    byte[] reason = close.reason().getBytes(StandardCharsets.UTF_8);
    ByteBuf out = alloc.buffer(16 + reason.length);
    QuicVarint.write(out, Capsule.CLOSE_TYPE);
    QuicVarint.write(out, 4L + reason.length);
    out.writeInt(close.code());
    out.writeBytes(reason);
    return out;
  }

  /** A DRAIN_WEBTRANSPORT_SESSION capsule. */
  static ByteBuf drain(ByteBufAllocator alloc) {
    ByteBuf out = alloc.buffer(5);
    QuicVarint.write(out, Capsule.DRAIN_TYPE);
    QuicVarint.write(out, 0);
    return out;
  }
}
