package dev.switchboard.rpc;

import java.util.Objects;

/**
 * Why a connection closed: an application close code and a reason (empty when none was given).
 *
 * <p>The codes belong to the RPC layer, not to a transport. The constants below are the ones the
 * peer closes with itself; a transport carries any code to the other end unchanged: the WebSocket
 * transport sends it as the RFC 6455 close code (these values are the RFC 6455 codes of the same
 * meaning), WebTransport as the session's error code, SSE as a final event. Applications may close
 * with codes of their own, by convention between 4000 and 4999 (the server's 4001 "token expired",
 * 4008 "slow consumer"); they pass through unchanged too. A transport may also report codes of its
 * own protocol that end a connection, such as a WebSocket's 1002 (protocol error).
 *
 * @param code the close code
 * @param reason a short human-readable explanation, never null; a transport may shorten it to what
 *     its protocol carries
 */
public record CloseReason(int code, String reason) {

  /** Closed on purpose with nothing wrong: {@link RpcPeer#close()}. */
  public static final int NORMAL = 1000;

  /**
   * The end is going away: the server is shutting down, or keepalive gave up on the other end
   * ({@link RpcConfig#maxMissedPings()} missed in a row, {@link RpcConfig#idleTimeout()}, {@link
   * RpcConfig#maxConnectionDuration()}).
   */
  public static final int GOING_AWAY = 1001;

  /**
   * The other end broke a policy: it kept sending over {@link RpcConfig#messageRate()} after {@link
   * RpcConfig#maxRefusedMessages()} refusals.
   */
  public static final int POLICY_VIOLATION = 1008;

  /**
   * A message was larger than {@link RpcConfig#maxMessageBytes()}; the transport that received it
   * closes with this.
   */
  public static final int MESSAGE_TOO_BIG = 1009;

  /**
   * The transport ended without a close from either end: the connection dropped or never opened.
   * Reported by transports, never sent.
   */
  public static final int CONNECTION_LOST = 1006;

  /**
   * @throws NullPointerException when {@code reason} is null
   */
  public CloseReason {
    Objects.requireNonNull(reason, "reason");
  }
}
