package dev.switchboard.gateway;

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
   * Hands {@code message} to the device's outbound queue. Never blocks.
   *
   * @return false when the device refused it: closed, or unable to keep up (it then disconnects
   *     itself)
   */
  boolean deliver(Outgoing message);
}
