package dev.switchboard.websocket;

/**
 * The RFC 6455 close codes (section 7.4.1) Switchboard's WebSocket transports send and report,
 * which codes a close frame may carry, and how long its reason may be.
 *
 * <p>The RPC peer closes with transport-neutral application codes ({@code CloseReason} in
 * switchboard-rpc) whose values are these, so a WebSocket transport puts them on the wire, and
 * reports the codes it receives, unchanged; the private-use codes 4000-4999 pass through too.
 */
public final class CloseCodes {

  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;

  /** The peer broke RFC 6455 (a bad frame, a forbidden close code). */
  public static final int PROTOCOL_ERROR = 1002;

  /** A close frame without a code. Never sent as a code: an empty close frame says it. */
  public static final int NO_STATUS = 1005;

  /** No close frame was received: the connection dropped. Never sent. */
  public static final int ABNORMAL = 1006;

  /** A text message that is not valid UTF-8. */
  public static final int INVALID_PAYLOAD = 1007;

  public static final int POLICY_VIOLATION = 1008;
  public static final int MESSAGE_TOO_BIG = 1009;

  /** A close frame's payload is at most 125 bytes (section 5.5), two of them the code. */
  private static final int MAX_REASON_BYTES = 123;

  private CloseCodes() {}

  /**
   * Whether an endpoint may send {@code code} in a close frame (RFC 6455 section 7.4 and the IANA
   * registry): 1000-1003, 1007-1014 and 3000-4999. The others are reserved, or (1005, 1006, 1015)
   * only ever reported locally; a peer that sends one breaks the protocol.
   */
  public static boolean isAllowedOnTheWire(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }

  /**
   * {@code reason} cut to the 123 bytes of UTF-8 a close frame holds beside its code, without
   * splitting a character; {@code reason} itself when it fits.
   */
  public static String fitReason(String reason) {
    int bytes = 0;
    for (int i = 0; i < reason.length(); ) {
      int c = reason.codePointAt(i);
      // A lone surrogate counts 3 but is encoded as 1 ('?'): the cut errs on the short side.
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      if (bytes > MAX_REASON_BYTES) {
        return reason.substring(0, i);
      }
      i += Character.charCount(c);
    }
    return reason;
  }
}
