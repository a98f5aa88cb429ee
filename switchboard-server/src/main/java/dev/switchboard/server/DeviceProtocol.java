package dev.switchboard.server;

import java.util.Locale;
import java.util.Optional;

/**
 * The protocol a device speaks on its WebSocket, fixed at the handshake: {@code ?protocol=} or the
 * WebSocket subprotocol, else {@link ServerConfig#defaultProtocol()}.
 *
 * <ul>
 *   <li>{@link #JSONRPC}: JSON-RPC 2.0 (docs/protocol.md), the calls of docs/push.md;
 *   <li>{@link #ARA}: the device protocol of the Ara notification service ({@code {"type":
 *       "Subscribe", "payload": ...}} in, flat {@code {"type": "notification", ...}} out), so that
 *       Ara's devices work unchanged.
 * </ul>
 */
public enum DeviceProtocol {
  JSONRPC("jsonrpc"),
  ARA("ara");

  private final String wireName;

  DeviceProtocol(String wireName) {
    this.wireName = wireName;
  }

  /** How the protocol is named in {@code ?protocol=}, the subprotocol and the configuration. */
  public String wireName() {
    return wireName;
  }

  /** The protocol named {@code name} (any letter case), if there is one. */
  public static Optional<DeviceProtocol> byName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (DeviceProtocol p : values()) {
      if (p.wireName.equals(wanted)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * @throws IllegalArgumentException naming {@code name} and the protocols there are
   */
  public static DeviceProtocol parse(String name) {
    return byName(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "protocol must be jsonrpc or ara, got \"" + name + "\""));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
