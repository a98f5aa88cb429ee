package dev.switchboard.webtransport;

/** What the first bytes of a QUIC stream say it is. */
sealed interface StreamHeader {
  /** The signal value that starts a WebTransport bidirectional stream. */
  long BIDI_SIGNAL = 0x41;

  /** The stream type of a WebTransport unidirectional stream. */
  long UNI_TYPE = 0x54;

  /** Not enough bytes yet. */
  record Incomplete() implements StreamHeader {}

  /** A WebTransport stream of the session whose CONNECT stream has id {@code sessionId}. */
  record WebTransport(long sessionId) implements StreamHeader {}

  /**
   * Not a WebTransport stream: the first varint is {@code firstValue} (an HTTP/3 frame type, say).
   */
  record Other(long firstValue) implements StreamHeader {}
}
