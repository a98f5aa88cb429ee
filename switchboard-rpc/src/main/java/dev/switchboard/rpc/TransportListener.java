package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Encoding;

/**
 * What a {@link Transport} reports to: whole messages, signs of life, the end. {@link
 * RpcConnection} is the one that matters; the benchmark's raw echo is another.
 */
public interface TransportListener {

  /**
   * One whole message arrived. Called by the transport, one message at a time, on its own thread.
   */
  void receive(Encoding encoding, byte[] message);

  /**
   * The transport saw the peer alive without a message, for example a pong to {@link
   * Transport#sendPing()}.
   */
  void alive();

  /** The transport closed (either side started it). Called once. */
  void transportClosed(int code, String reason);

  /**
   * The transport asks to close with a code and reason (for example 1009 for a message that is too
   * big).
   */
  void close(int code, String reason);
}
