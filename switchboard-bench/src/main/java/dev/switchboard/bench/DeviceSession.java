package dev.switchboard.bench;

import java.util.function.Consumer;

/**
 * The protocol state of one device. Not thread-safe: confined to the event loop of its connection.
 */
interface DeviceSession {

  /** Called once the WebSocket is open; {@code send} writes a text message. */
  void onOpen(Consumer<String> send);

  /**
   * Handles one inbound text message, answering through {@code send} what the protocol requires (a
   * pong, the next handshake step), and says what it was.
   */
  DeviceEvent onText(String text, Consumer<String> send);
}
