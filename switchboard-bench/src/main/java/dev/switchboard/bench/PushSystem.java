package dev.switchboard.bench;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The systems {@code BenchMain fanout} compares, in the order they run; {@link #key()} is the
 * {@code --only} value.
 */
enum PushSystem {
  SWITCHBOARD("switchboard", "Switchboard"),
  SOCKETIO("socketio", "Socket.IO");

  private final String key;
  private final String displayName;

  PushSystem(String key, String displayName) {
    this.key = key;
    this.displayName = displayName;
  }

  String key() {
    return key;
  }

  String displayName() {
    return displayName;
  }

  /**
   * Starts this system's server (Switchboard: or attaches to {@code --switchboard-url}) and its
   * HTTP clients.
   */
  PushTarget start(FanoutSettings settings) throws IOException, InterruptedException {
    return switch (this) {
      case SWITCHBOARD ->
          settings.external().isPresent()
              ? SwitchboardProcess.attach(settings.external().get(), settings.httpConnections())
              : SwitchboardProcess.start(settings);
      case SOCKETIO -> SocketIoPeer.start(settings.nodeDir(), settings.httpConnections());
    };
  }

  static PushSystem fromKey(String key) {
    return Arrays.stream(values())
        .filter(s -> s.key.equals(key))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown system '" + key + "'; expected one of " + keys()));
  }

  static String keys() {
    return Arrays.stream(values()).map(PushSystem::key).collect(Collectors.joining(", "));
  }
}
