package dev.switchboard.webtransport;

import java.util.function.Consumer;

/**
 * The receiving side of a WebTransport stream. Data is read from QUIC only while a data handler is
 * set and the stream is not paused, so a slow reader holds back the peer through QUIC flow control
 * instead of buffering. Handlers run on the connection's event loop and must not block; methods may
 * be called from any thread.
 */
public interface WtIncomingStream {
  /** The QUIC stream id. */
  long streamId();

  /**
   * Receives each chunk of data in order; setting it starts reading. Replaces the previous handler.
   */
  WtIncomingStream onData(Consumer<byte[]> handler);

  /** Runs once when the peer ends the stream (FIN) after the last chunk. */
  WtIncomingStream onEnd(Runnable handler);

  /**
   * Runs once when the stream is reset by the peer, or by the session going away; given the error
   * code.
   */
  WtIncomingStream onReset(Consumer<Long> handler);

  /** Stops reading: the peer is held back by flow control once the QUIC window is full. */
  void pause();

  /** Reads again after {@link #pause()}. */
  void resume();

  /** Asks the peer to stop sending (STOP_SENDING with {@code code}). */
  void stopSending(long code);
}
