package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.math.BigDecimal;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
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
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES) // 1.0 is not the integer 1
          .nodeFactory(new ExactNumbers())
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .build();

  /**
   * The MessagePack parser reports the end of input as an error when asked for a further token, so trailing bytes
   * are checked by {@link JacksonCodec} instead of FAIL_ON_TRAILING_TOKENS.
   */
  private static final ObjectMapper MSGPACK = new MessagePackMapper();

  private Json() {}

  /**
   * Numbers survive a round trip exactly. Floats are read as BigDecimal and kept as a double only when the
   * double is the same value; anything else (1e400, or more digits than a double holds) stays a decimal, so it is
   * echoed as sent instead of as "Infinity" or a rounded value. JSON has no Infinity or NaN, so a Java value
   * that is one cannot become a node.
   */
  private static final class ExactNumbers extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public NumericNode numberNode(long v) {
      return v == (int) v ? super.numberNode((int) v) : super.numberNode(v); // as the parser would
    }

    @Override
    public ValueNode numberNode(BigDecimal v) {
      if (v != null && v.scale() == 0) { // a whole number, for example a BigDecimal result: keep it integral
        return v.precision() <= 18 ? numberNode(v.longValueExact()) : numberNode(v.toBigIntegerExact());
      }
      if (v != null) {
        double d = v.doubleValue();
        if (Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(v) == 0) {
          return DoubleNode.valueOf(d);
        }
      }
      return super.numberNode(v);
    }

    @Override
    public NumericNode numberNode(double v) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("number out of the range of a double: " + v);
      }
      return super.numberNode(v);
    }

    @Override
    public NumericNode numberNode(float v) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("number out of the range of a float: " + v);
      }
      return super.numberNode(v);
    }
  }

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
