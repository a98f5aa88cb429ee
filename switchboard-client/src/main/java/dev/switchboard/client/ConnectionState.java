package dev.switchboard.client;

/** Where a {@link PushClient} is: each change is told to its state listeners. */
public enum ConnectionState {
  /** Opening a connection (the first, or again after a drop). */
  CONNECTING,
  /** Open: subscriptions restored, calls go through. */
  CONNECTED,
  /** Dropped; waiting before the next attempt. Calls fail at once meanwhile. */
  DISCONNECTED,
  /** Closed by {@link PushClient#close()}, or refused for good (a 401 or 403); nothing more. */
  CLOSED
}
