package dev.switchboard.webtransport;

/** Decides about each WebTransport session a client asks for. */
@FunctionalInterface
public interface SessionAcceptor {
  /**
   * A client asked for a session. Called on the connection's event loop: do not block; answer with
   * {@link SessionRequest#accept()} or {@link SessionRequest#refuse(int, String)}, now or later
   * from any thread.
   */
  void offer(SessionRequest request);
}
