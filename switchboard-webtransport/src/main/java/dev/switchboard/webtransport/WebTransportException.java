package dev.switchboard.webtransport;

/** A WebTransport server or session could not do what was asked. */
public final class WebTransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message saying what went wrong. */
  public WebTransportException(String message) {
    super(message);
  }

  /** With a message and the cause. */
  public WebTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
