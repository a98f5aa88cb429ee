package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.Identity;
import dev.switchboard.webtransport.WebTransportSession;

/**
 * A device connected over WebTransport, for the application: who it is, and its session for the
 * application's own streams and datagrams. Thread-safe.
 */
public interface WebTransportDevice {

  /** Who is connected. */
  Identity identity();

  /**
   * The WebTransport session: set handlers for the client's further streams and its datagrams, open
   * streams to it, send datagrams, close it. Its first bidirectional stream is the RPC stream, not
   * handed to any handler; closing the session ends the device's connection.
   */
  WebTransportSession session();

  /**
   * Sends a JSON-RPC notification as one datagram, where losing it is acceptable (positions,
   * telemetry): the message alone, encoded as the RPC stream's messages are (a JSON text, or
   * MessagePack for an {@code encoding=msgpack} session) without their framing.
   *
   * @return false, sending nothing, when the session is closed or the message does not fit in a
   *     datagram (1200 bytes by default)
   */
  boolean notifyByDatagram(String method, JsonNode params);
}
