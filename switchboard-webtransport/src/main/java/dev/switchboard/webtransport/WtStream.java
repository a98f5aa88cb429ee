package dev.switchboard.webtransport;

/**
 * A bidirectional WebTransport stream: both sides of {@link WtIncomingStream} and {@link
 * WtOutgoingStream}.
 */
public interface WtStream extends WtIncomingStream, WtOutgoingStream {
  /** The QUIC stream id. */
  @Override
  long streamId();

  /** Resets the sending side and asks the peer to stop sending, both with {@code code}. */
  @Override
  void reset(long code);
}
