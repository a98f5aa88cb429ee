package dev.switchboard.bench;

/**
 * How a simulated device speaks to one system, apart from any socket: the WebSocket path to open,
 * what to send once it is open and how to answer what arrives. {@link DeviceFleet} does the I/O.
 */
interface DeviceProtocol {

  /** Path and query of the WebSocket URI for the device of {@code userId}. */
  String path(String userId);

  /** A new session for a device of {@code userId} that subscribes to {@code channel}. */
  DeviceSession newSession(String userId, String channel);
}
