package dev.switchboard.webtransport;

import java.net.InetSocketAddress;

/**
 * A WebTransport-over-HTTP/3 server on Netty's QUIC codec. Requests for {@link
 * WebTransportSettings#path()} with {@code :method CONNECT} and {@code :protocol webtransport} are
 * offered to the {@link SessionAcceptor}; any other request is answered 404 (another path), 400 (a
 * CONNECT that is not WebTransport) or 405 (another method). Thread-safe.
 */
public interface WebTransportServer extends AutoCloseable {
  /**
   * Binds and starts a server; returns once it listens.
   *
   * @throws WebTransportException when the UDP port cannot be bound or the native QUIC library is
   *     missing
   */
  static WebTransportServer start(WebTransportSettings settings, SessionAcceptor acceptor) {
    return NettyWebTransportServer.start(settings, acceptor);
  }

  /** The UDP port it listens on (the bound one when the settings said 0). */
  int port();

  /** The address it listens on. */
  InetSocketAddress address();

  /**
   * Closes every connection (their sessions' close listeners fire) and releases the port; waits for
   * it.
   */
  @Override
  void close();
}
