package dev.switchboard.gateway;

/**
 * A shared engine ({@link Broker}, {@link Presence}) could not answer: its store was unreachable or
 * did not answer in time. Never thrown by the in-memory implementations. The message says which
 * store and why; the HTTP API answers 503 {@code unavailable} with it.
 */
public final class SharedStateException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SharedStateException(String message) {
    super(message);
  }

  public SharedStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
