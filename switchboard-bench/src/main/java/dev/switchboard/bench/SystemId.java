package dev.switchboard.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The systems {@code BenchMain rpc} compares, in the order they run; {@link #key()} is the {@code
 * --only} value.
 */
enum SystemId {
  SWITCHBOARD("switchboard"),
  RAW("raw"),
  RPC_WEBSOCKETS("rpc-websockets");

  private final String key;

  SystemId(String key) {
    this.key = key;
  }

  String key() {
    return key;
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
