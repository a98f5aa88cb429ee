package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Encoding;

/**
 * What an {@link RpcConnection} needs from the connection under it: send whole messages, close.
 * Implemented by the server's and the client's WebSocket adapters; they call {@link
 * RpcConnection#receive} with every whole message and {@link RpcConnection#transportClosed} once.
 *
 * <p>Both methods may be called from any thread and must never block.
 */
public interface Transport {

  /**
   * Queues one message: a text frame for {@link Encoding#JSON}, a binary frame for {@link
   * Encoding#MSGPACK}. The transport owns {@code bytes} from now on.
   *
   * @return false when the message was not queued: the transport is closed or its bounded outbound
   *     queue is full
   */
  boolean send(Encoding encoding, byte[] bytes);

  /**
   * Sends a ping of the transport's own (a WebSocket ping frame), whose pong the transport reports
   * with {@link RpcConnection#alive()}. Returns false when the transport has none; keepalive then
   * uses {@code rpc.ping}.
   */
  default boolean sendPing() {
    return false;
  }

  /** Starts the closing handshake; the transport reports the end with {@code transportClosed}. */
  void close(int code, String reason);

  /** Who is on the other end, for logs (for example the remote address). */
  String describe();
}
