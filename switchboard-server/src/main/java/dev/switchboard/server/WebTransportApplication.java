package dev.switchboard.server;

/**
 * An application's part in WebTransport devices ({@link ServerConfig.Builder#webTransport
 * Application}): told of each device whose session opened, it takes over the session's own streams
 * and datagrams, the ones besides the RPC stream.
 *
 * <pre>{@code
 * ServerConfig.builder()
 *     .webTransportApplication(device -> {
 *       device.session().onDatagram(position -> game.moved(device.identity(), position));
 *       device.session().onUnidirectionalStream(upload -> ...);
 *     })
 * }</pre>
 *
 * <p>Without one, a development server's demo echoes them, and a production server resets streams
 * and drops datagrams.
 */
@FunctionalInterface
public interface WebTransportApplication {

  /**
   * A device's session is open and its RPC stream carries its ordinary session. Runs on the
   * WebTransport event loop: set handlers here, never block. Until a handler is set, further
   * bidirectional streams are reset, unidirectional ones wait, and datagrams are dropped.
   */
  void opened(WebTransportDevice device);
}
