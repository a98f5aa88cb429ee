package dev.switchboard.server;

import dev.switchboard.gateway.Outgoing;
import dev.switchboard.rpc.CloseReason;

/**
 * The transport under a {@link Session}: the little a session needs from a WebSocket (today), an
 * SSE stream or a WebTransport session (next). A sink moves whole messages out, reports what comes
 * in to its session ({@link Session#received}, {@link Session#alive}, {@link Session#violation},
 * {@link Session#transportClosed}), and knows nothing of users, queues or limits: the session owns
 * those.
 *
 * <p>Every method may be called from any thread and must never block.
 */
interface SessionSink {

  /** Short name of the transport for logs: {@code ws}, {@code sse}, {@code wt}. */
  String transport();

  /** Who is on the other end, for logs (the remote address). */
  String remote();

  /** Starts reporting to {@code session}; called once, before anything is read. */
  void start(Session session);

  /**
   * Starts writing one whole message and flushes it at the end of the event loop's current turn
   * (writes in one turn or one read batch share a flush); calls {@code done} once, on any thread,
   * when it is written or failed.
   */
  void write(Outgoing message, Runnable done);

  /**
   * Sends a ping of the transport's own, whose answer it reports with {@link Session#alive}.
   *
   * @return false when the transport has none or is closed
   */
  boolean ping();

  /**
   * Starts closing with {@code reason} (a close frame, a final event, a session close capsule) and
   * cuts the connection if the peer has not finished closing within the transport's grace.
   */
  void close(CloseReason reason);

  /** Cuts the connection now, without a closing handshake. */
  void abort();

  /** Whether messages may still be written: the closing handshake has not started. */
  boolean isOpen();
}
