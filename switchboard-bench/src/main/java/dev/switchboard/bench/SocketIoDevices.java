package dev.switchboard.bench;

import java.util.function.Consumer;

/**
 * Devices of Socket.IO, speaking Engine.IO 4 / Socket.IO 5 over a plain WebSocket ({@code
 * /socket.io/?EIO=4&transport=websocket}, no long-polling), one Engine.IO packet per text frame:
 *
 * <ol>
 *   <li>the server opens with {@code 0{"sid":..,"pingInterval":..}};
 *   <li>the device connects to namespace "/" with its user as auth, {@code 40{"user":"u42"}}, and
 *       the server answers {@code 40{"sid":..}};
 *   <li>the device emits {@code subscribe({channels:[channel]})} with acknowledgement 1, {@code
 *       421["subscribe",{...}]}, answered {@code 431[{"subscribed":[..]}]}: the device is ready;
 *   <li>events arrive as {@code 42["notification",<payload>]}; the server's ping {@code 2} is
 *       answered {@code 3}.
 * </ol>
 */
final class SocketIoDevices implements DeviceProtocol {

  static final String PATH = "/socket.io/?EIO=4&transport=websocket";

  @Override
  public String path(String userId) {
    return PATH;
  }

  @Override
  public DeviceSession newSession(String userId, String channel) {
    return new Session(userId, channel);
  }

  private static final class Session implements DeviceSession {
    private final String userId;
    private final String channel;

    Session(String userId, String channel) {
      this.userId = userId;
      this.channel = channel;
    }

    @Override
    public void onOpen(Consumer<String> send) {
      // The server speaks first (the Engine.IO open packet).
    }

    @Override
    public DeviceEvent onText(String text, Consumer<String> send) {
      if (text.isEmpty()) {
        return new DeviceEvent.Refused("empty Engine.IO packet");
      }
      switch (text.charAt(0)) {
        case '0' -> { // open
          send.accept("40{\"user\":\"" + userId + "\"}");
          return DeviceEvent.CONTROL;
        }
        case '1' -> {
          return new DeviceEvent.Refused("Engine.IO close");
        }
        case '2' -> { // ping (the server pings in Engine.IO 4)
          send.accept("3" + text.substring(1));
          return DeviceEvent.CONTROL;
        }
        case '4' -> {
          return onSocketIo(text, send);
        }
        case '6' -> { // noop
          return DeviceEvent.CONTROL;
        }
        default -> {
          return new DeviceEvent.Refused(
              "unexpected Engine.IO packet: " + SwitchboardDevices.abbreviate(text));
        }
      }
    }

    /** {@code text} is an Engine.IO message: "4" followed by a Socket.IO packet. */
    private DeviceEvent onSocketIo(String text, Consumer<String> send) {
      char type = text.length() > 1 ? text.charAt(1) : '?';
      switch (type) {
        case '2' -> { // EVENT
          long seq = PushPayload.seq(text);
          long sent = PushPayload.sentNanos(text);
          if (seq == Long.MIN_VALUE || sent == Long.MIN_VALUE) {
            return new DeviceEvent.Refused(
                "an event without the bench payload: " + SwitchboardDevices.abbreviate(text));
          }
          return new DeviceEvent.Delivery(seq, sent);
        }
        case '0' -> { // CONNECT answered: subscribe, acknowledgement id 1
          send.accept("421[\"subscribe\",{\"channels\":[\"" + channel + "\"]}]");
          return DeviceEvent.CONTROL;
        }
        case '3' -> { // ACK
          if (text.startsWith("431[") && text.contains("\"" + channel + "\"")) {
            return DeviceEvent.SUBSCRIBED;
          }
          return new DeviceEvent.Refused(
              "unexpected acknowledgement: " + SwitchboardDevices.abbreviate(text));
        }
        case '1' -> {
          return new DeviceEvent.Refused("disconnected by the server");
        }
        case '4' -> {
          return new DeviceEvent.Refused("connect refused: " + SwitchboardDevices.abbreviate(text));
        }
        default -> {
          return new DeviceEvent.Refused(
              "unexpected Socket.IO packet: " + SwitchboardDevices.abbreviate(text));
        }
      }
    }
  }
}
