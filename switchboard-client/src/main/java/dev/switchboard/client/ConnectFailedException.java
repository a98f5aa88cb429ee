package dev.switchboard.client;

import java.net.URI;

/** The client could not open its connection: the server is unreachable or refused the handshake. */
public final class ConnectFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConnectFailedException(URI uri, Throwable cause) {
    super("cannot connect to " + uri + ": " + describe(cause), cause);
  }

  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
