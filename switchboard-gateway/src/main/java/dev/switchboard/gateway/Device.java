package dev.switchboard.gateway;

import java.util.List;

/**
 * A connected device as the gateway sees it: one connection of one user. Implemented by the server
 * for each transport. Devices are compared by identity.
 */
public interface Device {

  /** A short id unique within this server, for logs and the API. */
  String id();

  /** The authenticated user ({@code sub} of its token), or an anonymous id in development mode. */
  String userId();

  /**
   * Whether this device acknowledges what it receives (it connected with {@code ack=1}): a
   * notification sent to its user then stays owed until acknowledged.
   */
  boolean acknowledges();

  /**
   * Hands {@code message} to the device's outbound queue, or keeps it while its stream is held
   * ({@link #hold}). Never blocks.
   *
   * @return false when the device refused it: closed, or unable to keep up (it then disconnects
   *     itself)
   */
  boolean deliver(Outgoing message);

  /**
   * Keeps {@code stream}'s notifications from now until {@link #release}; see {@link StreamGate}.
   */
  void hold(StreamId stream);

  /**
   * Hands on {@code replay} and the held notifications of {@code stream}, merged by offset, then
   * lets the stream through; see {@link StreamGate#release}.
   *
   * @return false when the device refused them
   */
  boolean release(StreamId stream, List<Outgoing> replay);
}
