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

  /**
   * The transport closed, with the code and reason of the end that closed it, or {@link
   * CloseReason#CONNECTION_LOST} when it dropped. Called once.
   */
  void transportClosed(int code, String reason);

  /**
   * The transport asks to close with a code and reason, for example {@link
   * CloseReason#MESSAGE_TOO_BIG} for a message over the limit, or a code of its own protocol (a
   * WebSocket's 1002 for a broken frame).
   */
  void close(int code, String reason);
}
