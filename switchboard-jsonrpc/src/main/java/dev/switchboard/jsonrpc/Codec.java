package dev.switchboard.jsonrpc;

import java.util.List;

/**
 * Turns whole messages into bytes and back, for one {@link Encoding}.
 *
 * <p>Thread-safe and stateless. Decoding never throws for bad input: invalid bytes decode to {@link
 * Decoded.Unparsable}, invalid messages to {@link Invalid} or {@link Discarded} entries.
 */
public sealed interface Codec permits JacksonCodec {

  static Codec json() {
    return JacksonCodec.JSON;
  }

  static Codec msgpack() {
    return JacksonCodec.MSGPACK;
  }

  static Codec of(Encoding encoding) {
    return switch (encoding) {
      case JSON -> json();
      case MSGPACK -> msgpack();
    };
  }

  /**
   * One message in another encoding: {@code message} itself when {@code from} is {@code to}, else
   * decoded and encoded again (for a transport that carries one encoding only).
   *
   * @throws IllegalArgumentException when {@code message} is not one valid JSON-RPC message
   */
  static byte[] transcode(byte[] message, Encoding from, Encoding to) {
    if (from == to) {
      return message;
    }
    if (of(from).decode(message) instanceof Decoded.Single(Message decoded)) {
      return of(to).encode(decoded);
    }
    throw new IllegalArgumentException("not a single JSON-RPC message: cannot transcode");
  }

  Encoding encoding();

  Decoded decode(byte[] bytes);

  byte[] encode(Message message);

  /** Encodes a batch: a JSON array (or MessagePack array) of the messages, in order. */
  byte[] encodeBatch(List<? extends Message> messages);
}
