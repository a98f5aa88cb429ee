package dev.switchboard.rpc;

/**
 * The connection closed before the call was answered, or a call was made on a closed connection.
 */
public final class ConnectionClosedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int closeCode;

  public ConnectionClosedException(int closeCode, String reason) {
    super("connection closed (" + closeCode + (reason.isEmpty() ? "" : ": " + reason) + ")");
    this.closeCode = closeCode;
  }

  /**
   * The close code ({@link CloseReason#code()}): {@link CloseReason#CONNECTION_LOST} when the
   * connection dropped without a close.
   */
  public int closeCode() {
    return closeCode;
  }
}
