package dev.switchboard.client;

/** A channel subscription of a {@link PushClient}; it survives reconnects until unsubscribed. */
public interface Subscription {
  String channel();

  /** Stops the handler and unsubscribes from the server (when connected). */
  void unsubscribe();
}
