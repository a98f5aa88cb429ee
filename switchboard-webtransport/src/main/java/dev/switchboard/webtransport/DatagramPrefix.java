package dev.switchboard.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The prefix of an HTTP/3 datagram (RFC 9297): the quarter stream id, that is the session id (the
 * id of its CONNECT stream, a client-initiated bidirectional stream, so a multiple of 4) divided by
 * 4.
 */
final class DatagramPrefix {
  private DatagramPrefix() {}

  /** {@code payload} behind the prefix of {@code sessionId}. */
  static ByteBuf encode(ByteBufAllocator alloc, long sessionId, byte[] payload) {
    long quarter = sessionId >>> 2;
    ByteBuf out = alloc.buffer(QuicVarint.length(quarter) + payload.length);
    QuicVarint.write(out, quarter);
    out.writeBytes(payload);
    return out;
  }

  /** How many bytes the prefix of {@code sessionId} takes. */
  static int length(long sessionId) {
    return QuicVarint.length(sessionId >>> 2);
  }

  /**
   * Reads the prefix and returns the session id, the payload left readable; -1 when there is no
   * whole prefix.
   */
  static long readSessionId(ByteBuf datagram) {
    long quarter = QuicVarint.read(datagram);
    return quarter < 0 ? -1 : quarter * 4;
  }
}
