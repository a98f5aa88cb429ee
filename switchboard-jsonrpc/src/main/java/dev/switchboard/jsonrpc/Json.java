package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
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
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/**
 * The Jackson mapper Switchboard binds params and results with: plain JSON rules, trailing tokens rejected. Share
 * it rather than building another, so that both ends of a conversion agree.
 */
public final class Json {

  /** Reads and binds: a float stays a float, whatever its exponent. */
  private static final ObjectMapper JSON = build(new ExactNumbers(false));

  /**
   * Turns Java values into trees: a whole {@code BigDecimal} (such as a sum of integers) becomes an integer, as a
   * Java user would expect {@code BigDecimal.valueOf(7)} to be sent.
   */
  private static final ObjectMapper VALUES = build(new ExactNumbers(true));

  private static ObjectMapper build(JsonNodeFactory nodes) {
    return JsonMapper.builder(JsonFactory.builder().recyclerPool(BufferPool.INSTANCE).build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          // Bind params strictly: "5" is not an int, 1.5 is not a long, null is not a primitive.
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES) // 1.0 is not the integer 1
          .nodeFactory(nodes)
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .build();
  }

  /**
   * The MessagePack parser reports the end of input as an error when asked for a further token, so trailing bytes
   * are checked by {@link JacksonCodec} instead of FAIL_ON_TRAILING_TOKENS.
   */
  private static final ObjectMapper MSGPACK = new MessagePackMapper(msgpackFactory());

  /** Both mappers pool buffers by thread kind ({@link BufferPool}). */
  private static MessagePackFactory msgpackFactory() {
    MessagePackFactory factory = new MessagePackFactory();
    factory.setRecyclerPool(BufferPool.INSTANCE);
    return factory;
  }

  private Json() {}

  /**
   * Numbers survive a round trip exactly. Floats are read as BigDecimal and kept as a double only when the
   * double is the same value; anything else (1e400, or more digits than a double holds) stays a decimal, so it is
   * echoed as sent instead of as "Infinity" or a rounded value. JSON has no Infinity or NaN, so a Java value
   * that is one cannot become a node.
   */
  private static final class ExactNumbers extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    private final boolean wholeDecimalsAreIntegers;

    ExactNumbers(boolean wholeDecimalsAreIntegers) {
      this.wholeDecimalsAreIntegers = wholeDecimalsAreIntegers;
    }

    @Override
    public NumericNode numberNode(long v) {
      return v == (int) v ? super.numberNode((int) v) : super.numberNode(v); // as the parser would
    }

    @Override
    public ValueNode numberNode(BigDecimal v) {
      if (v != null && wholeDecimalsAreIntegers && v.scale() == 0) {
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
      return VALUES.getNodeFactory().nullNode();
    }
    return switch (value) {
      case JsonNode node -> node;
      case String text -> VALUES.getNodeFactory().textNode(text);
      case Integer number -> VALUES.getNodeFactory().numberNode(number.intValue());
      case Long number -> VALUES.getNodeFactory().numberNode(number.longValue());
      case Boolean flag -> VALUES.getNodeFactory().booleanNode(flag);
      default -> VALUES.valueToTree(value);
    };
  }
}
