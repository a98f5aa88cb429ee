package dev.switchboard.bench;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The systems {@code BenchMain rpc} compares, in the order they run; {@link #key()} is the {@code
 * --only} value. A run without {@code --only} takes those {@link #byDefault()}; the others are
 * diagnoses, run when named.
 */
enum SystemId {
  SWITCHBOARD("switchboard", true),
  /** The raw Vert.x WebSocket echo. */
  RAW("raw", true),
  /** The raw Netty WebSocket echo, flushing once per read batch. */
  NETTY("netty", true),
  /** The raw Netty WebSocket echo, flushing after every frame: what write coalescing saves. */
  NETTY_FLUSH_EACH("netty-flush-each", false),
  RPC_WEBSOCKETS("rpc-websockets", true);

  private final String key;
  private final boolean byDefault;

  SystemId(String key, boolean byDefault) {
    this.key = key;
    this.byDefault = byDefault;
  }

  String key() {
    return key;
  }

  /** Whether a run without {@code --only} includes it. */
  boolean byDefault() {
    return byDefault;
  }

  /** The systems of a run without {@code --only}. */
  static Set<SystemId> defaults() {
    return Arrays.stream(values())
        .filter(SystemId::byDefault)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(SystemId.class)));
  }

  static SystemId fromKey(String key) {
    return Arrays.stream(values())
        .filter(s -> s.key.equals(key))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown system '" + key + "'; expected one of " + keys()));
  }

  static String keys() {
    return Arrays.stream(values()).map(SystemId::key).collect(Collectors.joining(", "));
  }
}
