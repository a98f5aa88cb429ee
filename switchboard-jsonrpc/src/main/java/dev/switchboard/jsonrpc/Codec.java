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

  Encoding encoding();

  Decoded decode(byte[] bytes);

  byte[] encode(Message message);

  /** Encodes a batch: a JSON array (or MessagePack array) of the messages, in order. */
  byte[] encodeBatch(List<? extends Message> messages);
}
