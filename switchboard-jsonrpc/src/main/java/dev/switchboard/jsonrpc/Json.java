package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/**
 * The Jackson mapper Switchboard binds params and results with: plain JSON rules, trailing tokens rejected. Share
 * it rather than building another, so that both ends of a conversion agree.
 */
public final class Json {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          // Bind params strictly: "5" is not an int, 1.5 is not a long, null is not a primitive.
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  /**
   * The MessagePack parser reports the end of input as an error when asked for a further token, so trailing bytes
   * are checked by {@link JacksonCodec} instead of FAIL_ON_TRAILING_TOKENS.
   */
  private static final ObjectMapper MSGPACK = new MessagePackMapper();

  private Json() {}

  /** The mapper used to bind params and results to Java types. */
  public static ObjectMapper mapper() {
    return JSON;
  }

  static ObjectMapper msgpackMapper() {
    return MSGPACK;
  }

  public static JsonNodeFactory nodes() {
    return JsonNodeFactory.instance;
  }

  /** Converts any Jackson-writable value to a tree; a {@code JsonNode} is returned as it is. */
  public static JsonNode toNode(Object value) {
    if (value == null) {
      return JSON.getNodeFactory().nullNode();
    }
    if (value instanceof JsonNode node) {
      return node;
    }
    return JSON.valueToTree(value);
  }
}
