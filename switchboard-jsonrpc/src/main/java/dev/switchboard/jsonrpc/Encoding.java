package dev.switchboard.jsonrpc;

/** How messages are written: JSON on WebSocket text frames, MessagePack on binary frames. */
public enum Encoding {
  JSON,
  MSGPACK
}
