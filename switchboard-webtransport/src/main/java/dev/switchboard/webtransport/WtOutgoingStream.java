package dev.switchboard.webtransport;

import java.util.concurrent.CompletionStage;

/**
 * The sending side of a WebTransport stream. Writing never blocks: a write is queued and its stage
 * completes when QUIC took the bytes; {@link #isWritable()} turns false while the queue is above
 * Netty's high water mark, and {@link #onWritable(Runnable)} says when it drained. Methods may be
 * called from any thread.
 */
public interface WtOutgoingStream {
  /** The QUIC stream id. */
  long streamId();

  /** Queues {@code data}; the stage fails when the stream was reset or closed. */
  CompletionStage<Void> write(byte[] data);

  /** Whether the send queue is below its high water mark. */
  boolean isWritable();

  /** Runs (on the event loop) each time the stream becomes writable again. */
  WtOutgoingStream onWritable(Runnable handler);

  /** Ends the stream after what was written (FIN). */
  CompletionStage<Void> end();

  /**
   * Abandons the stream (RESET_STREAM). Netty's QUIC API takes an {@code int} error code, so {@code
   * code} is sent as is when it fits 0..2^31-1 (the draft's mapping of application codes into the
   * HTTP/3 range does not fit); larger codes are sent as 0.
   */
  void reset(long code);
}
