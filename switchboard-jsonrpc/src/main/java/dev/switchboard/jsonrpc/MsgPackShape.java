package dev.switchboard.jsonrpc;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * Checks, without recursion, that bytes hold exactly one MessagePack value nested at most {@link
 * #MAX_DEPTH} deep. JSON gets both from Jackson's parser; the MessagePack parser checks neither,
 * and a deep tree would overflow the stack when the answer is written.
 */
final class MsgPackShape {

  /** The nesting limit of JSON, {@link Json#MAX_DEPTH}. */
  static final int MAX_DEPTH = Json.MAX_DEPTH;

  private MsgPackShape() {}

  /** Why the bytes are not one well-nested value, or empty when they are. */
  static Optional<String> problem(byte[] bytes) {
    long[] remaining = new long[8]; // values still to read at each open level; grows with depth
    int depth = 0;
    remaining[0] = 1;
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
      while (depth > 0 || remaining[0] > 0) {
        if (remaining[depth] == 0) {
          depth--;
          continue;
        }
        remaining[depth]--;
        MessageFormat format = unpacker.getNextFormat();
        long children =
            switch (format.getValueType()) {
              case ARRAY -> unpacker.unpackArrayHeader();
              case MAP -> 2L * unpacker.unpackMapHeader();
              default -> {
                unpacker.skipValue();
                yield -1;
              }
            };
        if (children >= 0) {
          if (depth == MAX_DEPTH) {
            return Optional.of(
                "nested deeper than the limit of " + MAX_DEPTH + " levels (arrays and maps)");
          }
          if (++depth == remaining.length) {
            remaining = Arrays.copyOf(remaining, Math.min(remaining.length * 2, MAX_DEPTH + 1));
          }
          remaining[depth] = children;
        }
      }
      return unpacker.hasNext()
          ? Optional.of("trailing bytes after the first value")
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("not MessagePack: " + e.getMessage());
    }
  }
}
