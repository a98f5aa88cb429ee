package dev.switchboard.rpc;

/** The WebSocket close codes (RFC 6455, section 7.4.1) Switchboard uses. */
public final class CloseCodes {
  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int PROTOCOL_ERROR = 1002;

  /** No close frame was received: the connection dropped. Never sent. */
  public static final int ABNORMAL = 1006;

  /** A text frame that is not valid UTF-8. */
  public static final int INVALID_PAYLOAD = 1007;

  public static final int POLICY_VIOLATION = 1008;
  public static final int MESSAGE_TOO_BIG = 1009;
  public static final int INTERNAL_ERROR = 1011;

  private CloseCodes() {}
}
