package dev.switchboard.webtransport;

/** The HTTP/3 and WebTransport error codes this layer sends. */
final class ErrorCodes {
  /** WT_SESSION_GONE: the stream's session ended. */
  static final int SESSION_GONE = 0x170d7b68;

  /**
   * WT_BUFFERED_STREAM_REJECTED: a stream named a session that does not exist (or no longer does).
   */
  static final int BUFFERED_STREAM_REJECTED = 0x3994bd84;

  /** H3_MESSAGE_ERROR: a malformed capsule on the CONNECT stream. */
  static final int H3_MESSAGE_ERROR = 0x10e;

  /** H3_REQUEST_CANCELLED: the server no longer wants the stream. */
  static final int H3_REQUEST_CANCELLED = 0x10c;

  /**
   * H3_STREAM_CREATION_ERROR: a server opened a bidirectional stream that is not WebTransport's.
   */
  static final int H3_STREAM_CREATION_ERROR = 0x103;

  private ErrorCodes() {}

  /**
   * {@code code} as Netty's int error code: itself when it fits, else 0 (see {@link
   * WtOutgoingStream#reset}).
   */
  static int toNetty(long code) {
    return code >= 0 && code <= Integer.MAX_VALUE ? (int) code : 0;
  }
}
