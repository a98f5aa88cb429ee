package dev.switchboard.rpc;

import dev.switchboard.jsonrpc.Encoding;

/**
 * What an {@link RpcConnection} needs from the connection under it: send whole messages, close.
 * Implemented once per kind of connection (WebSocket adapters on the server and the client today,
 * SSE and WebTransport later); an implementation calls {@link RpcConnection#receive} with every
 * whole message and {@link RpcConnection#transportClosed} once.
 *
 * <p>Nothing here is tied to one protocol: messages are byte arrays tagged with their {@link
 * Encoding}, close codes are the RPC layer's ({@link CloseReason}), and how they travel is the
 * transport's business.
 *
 * <p>Every method may be called from any thread and must never block.
 */
public interface Transport {

  /**
   * Queues one whole message (over WebSocket: a text frame for {@link Encoding#JSON}, a binary
   * frame for {@link Encoding#MSGPACK}). The transport owns {@code bytes} from now on.
   *
   * @return false when the message was not queued: the transport is closed or its bounded outbound
   *     queue is full
   */
  boolean send(Encoding encoding, byte[] bytes);

  /**
   * Sends a ping of the transport's own (over WebSocket, a ping frame), whose answer the transport
   * reports with {@link RpcConnection#alive()}. Returns false when the transport has none;
   * keepalive then uses {@code rpc.ping}.
   */
  default boolean sendPing() {
    return false;
  }

  /**
   * Starts closing: tells the other end {@code code}, unchanged, and {@code reason}, which the
   * transport may shorten to what its protocol carries (a WebSocket close frame holds 123 bytes).
   * The transport reports the end with {@code transportClosed}.
   *
   * @param code an application close code ({@link CloseReason}), for example {@link
   *     CloseReason#GOING_AWAY} or an application's own 4001
   */
  void close(int code, String reason);

  /** Who is on the other end, for logs (for example the remote address). */
  String describe();
}
