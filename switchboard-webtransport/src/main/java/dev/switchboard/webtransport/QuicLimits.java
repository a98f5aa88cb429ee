package dev.switchboard.webtransport;

import io.netty.handler.codec.quic.QuicCodecBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The QUIC transport parameters both ends of our WebTransport set the same way: the idle timeout,
 * the receive windows, the streams the peer may open, and datagrams.
 */
final class QuicLimits {
  /** HTTP/3 opens a control stream and two QPACK streams before any WebTransport stream. */
  private static final long HTTP3_UNI_STREAMS = 3;

  /** Datagrams waiting to be read or sent, per connection, in Netty's QUIC codec. */
  private static final int DATAGRAM_QUEUE = 256;

  private QuicLimits() {}

  /**
   * {@code builder} with these limits; {@code uniStreams} counts WebTransport's own streams,
   * HTTP/3's three come on top.
   */
  static <B extends QuicCodecBuilder<B>> B apply(
      B builder,
      Duration idleTimeout,
      long maxData,
      long maxStreamData,
      long bidiStreams,
      long uniStreams) {
    return builder
        .maxIdleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .initialMaxData(maxData)
        .initialMaxStreamDataBidirectionalLocal(maxStreamData)
        .initialMaxStreamDataBidirectionalRemote(maxStreamData)
        .initialMaxStreamDataUnidirectional(maxStreamData)
        .initialMaxStreamsBidirectional(bidiStreams)
        .initialMaxStreamsUnidirectional(uniStreams + HTTP3_UNI_STREAMS)
        .datagram(DATAGRAM_QUEUE, DATAGRAM_QUEUE);
  }
}
