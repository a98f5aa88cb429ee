package dev.switchboard.webtransport;

import io.netty.buffer.ByteBuf;

/**
 * Reads a WebTransport stream header (a signal or type varint, then the session id varint) from
 * bytes that may arrive over several buffers. It consumes exactly the header's bytes, so what is
 * left in the last buffer is the stream's payload. Not thread-safe: one reader belongs to one
 * stream.
 */
final class StreamHeaderReader {
  private final QuicVarint.Reader varint = new QuicVarint.Reader();
  private final long expectedFirst; // -1: no leading varint, only the session id
  private boolean firstRead;

  private StreamHeaderReader(long expectedFirst) {
    this.expectedFirst = expectedFirst;
    this.firstRead = expectedFirst < 0;
  }

  /** For a peer-opened bidirectional stream: {@code 0x41}, then the session id. */
  static StreamHeaderReader bidirectional() {
    return new StreamHeaderReader(StreamHeader.BIDI_SIGNAL);
  }

  /** For a unidirectional stream: type {@code 0x54}, then the session id. */
  static StreamHeaderReader unidirectional() {
    return new StreamHeaderReader(StreamHeader.UNI_TYPE);
  }

  /** For a unidirectional stream whose type HTTP/3 has already read: only the session id. */
  static StreamHeaderReader sessionIdOnly() {
    return new StreamHeaderReader(-1);
  }

  /**
   * Consumes header bytes from {@code in}; once the result is not {@link StreamHeader.Incomplete},
   * stop.
   */
  StreamHeader read(ByteBuf in) {
    if (!firstRead) {
      long first = varint.read(in);
      if (first < 0) {
        return new StreamHeader.Incomplete();
      }
      if (first != expectedFirst) {
        return new StreamHeader.Other(first);
      }
      firstRead = true;
    }
    long sessionId = varint.read(in);
    return sessionId < 0 ? new StreamHeader.Incomplete() : new StreamHeader.WebTransport(sessionId);
  }
}
