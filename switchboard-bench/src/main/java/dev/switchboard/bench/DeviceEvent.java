package dev.switchboard.bench;

/** What one inbound text message meant to a device; see {@link DeviceSession#onText}. */
sealed interface DeviceEvent
    permits DeviceEvent.Delivery, DeviceEvent.Subscribed, DeviceEvent.Control, DeviceEvent.Refused {

  /** A notification carrying the publisher's payload ({@link PushPayload}). */
  record Delivery(long seq, long sentNanos) implements DeviceEvent {}

  /** The server confirmed the subscription: the device is ready. */
  record Subscribed() implements DeviceEvent {}

  /**
   * Protocol housekeeping (handshake steps, heartbeats, shutdown notices); anything already
   * answered.
   */
  record Control() implements DeviceEvent {}

  /**
   * The server refused or ended the session, or sent what the protocol does not allow; {@code why}
   * says which.
   */
  record Refused(String why) implements DeviceEvent {}

  Control CONTROL = new Control();
  Subscribed SUBSCRIBED = new Subscribed();
}
