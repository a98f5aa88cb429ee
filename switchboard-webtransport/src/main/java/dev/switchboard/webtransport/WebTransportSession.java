package dev.switchboard.webtransport;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * An accepted WebTransport session. Handlers run on the connection's event loop and must not block;
 * they may be set at any time, and streams that arrived before a handler was set are delivered to
 * it in order (datagrams that arrive without a handler are dropped). Actions may be called from any
 * thread.
 */
public interface WebTransportSession {
  /** The session id: the QUIC stream id of its CONNECT stream. */
  long id();

  /** The query string of the CONNECT without {@code ?}, empty when there is none. */
  String query();

  /** Receives the bidirectional streams the client opens, in order. */
  WebTransportSession onBidirectionalStream(Consumer<WtStream> handler);

  /** Receives the unidirectional streams the client opens, in order. */
  WebTransportSession onUnidirectionalStream(Consumer<WtIncomingStream> handler);

  /** Receives the session's datagrams, prefix removed. */
  WebTransportSession onDatagram(Consumer<byte[]> handler);

  /** Told once when the session ends, however it ends; told at once if it already ended. */
  WebTransportSession onClose(CloseListener listener);

  /**
   * Opens a bidirectional stream; fails when the session is closed or the peer's stream limit is
   * reached.
   */
  CompletionStage<WtStream> openBidirectionalStream();

  /**
   * Opens a unidirectional stream; fails when the session is closed or the peer's stream limit is
   * reached.
   */
  CompletionStage<WtOutgoingStream> openUnidirectionalStream();

  /**
   * Sends a datagram (unreliable).
   *
   * @return false, sending nothing, when the session is closed or {@code payload} is larger than
   *     the configured maximum datagram size
   */
  boolean sendDatagram(byte[] payload);

  /**
   * Closes the session: sends CLOSE_WEBTRANSPORT_SESSION with {@code code} and {@code reason}, ends
   * the CONNECT stream and resets the session's streams. Does nothing when already closed.
   *
   * @throws IllegalArgumentException when {@code reason} is longer than 1024 UTF-8 bytes
   */
  void close(int code, String reason);

  /** Whether the session has ended. */
  boolean isClosed();
}
