package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/**
 * The Jackson mapper Switchboard binds params and results with: plain JSON rules, trailing tokens
 * rejected. Share it rather than building another, so that both ends of a conversion agree.
 *
 * <p>What it reads from outside is bounded: arrays and objects nest at most {@link #MAX_DEPTH}
 * deep, and a number a double cannot hold exactly has an exponent within {@link #MAX_EXPONENT}.
 * Input beyond either fails to parse with a {@link com.fasterxml.jackson.core.JacksonException}
 * naming the limit (a {@code StreamConstraintsException}), like any other input Jackson refuses, so
 * callers need no other catch.
 */
public final class Json {

  /**
   * The deepest that arrays and objects nest in a document read as JSON or MessagePack (a JSON-RPC
   * message, an HTTP body): {@code [[1]]} is 2 deep. Twice what a notification payload may use, so
   * that the payload's own limit is the one its sender meets; far below the 1000 of Jackson's
   * writer, so that whatever was read can be written again inside an envelope.
   */
  public static final int MAX_DEPTH = 128;

  /**
   * The largest exponent, in scientific notation ({@code d.ddd} times ten to the {@code n}), of a
   * number kept as a decimal because a double cannot hold it exactly: {@code -MAX_EXPONENT <= n <=
   * MAX_EXPONENT}. Wider than a double (about 1e308), narrow enough that no conversion (to a {@code
   * BigInteger}, to plain digits, a sum) of a number sent in a few bytes costs more than a few
   * thousand digits. Jackson lets a number be written with at most 1000 digits; the exponent may
   * not stand for more.
   */
  public static final int MAX_EXPONENT = 1000;

  /** Reads and binds: a float stays a float, whatever its exponent. */
  private static final ObjectMapper JSON = build(new ExactNumbers(false));

  /**
   * Turns Java values into trees: a whole {@code BigDecimal} (such as a sum of integers) becomes an
   * integer, as a Java user would expect {@code BigDecimal.valueOf(7)} to be sent.
   */
  private static final ObjectMapper VALUES = build(new ExactNumbers(true));

  private static ObjectMapper build(JsonNodeFactory nodes) {
    return JsonMapper.builder(
            JsonFactory.builder()
                .recyclerPool(BufferPool.INSTANCE)
                .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .build())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        // Bind params strictly: "5" is not an int, 1.5 is not a long, null is not a primitive.
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES) // 1.0 is not the integer 1
        .nodeFactory(nodes)
        .addModule(TreeDeserializer.module())
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .build();
  }

  /**
   * The MessagePack parser reports the end of input as an error when asked for a further token, so
   * trailing bytes are checked by {@link JacksonCodec} instead of FAIL_ON_TRAILING_TOKENS, and it
   * checks no nesting depth, so {@link MsgPackShape} does. Its numbers follow the JSON mapper's
   * rules: a float64 Infinity or NaN is refused.
   */
  private static final ObjectMapper MSGPACK =
      MessagePackMapper.builder(msgpackFactory())
          .nodeFactory(new ExactNumbers(false))
          .addModule(TreeDeserializer.module())
          .build();

  /** Both mappers pool buffers by thread kind ({@link BufferPool}). */
  private static MessagePackFactory msgpackFactory() {
    MessagePackFactory factory = new MessagePackFactory();
    factory.setRecyclerPool(BufferPool.INSTANCE);
    return factory;
  }

  private Json() {}

  /**
   * Numbers survive a round trip exactly. Floats are read as BigDecimal and kept as a double only
   * when the double is the same value; anything else (1e400, or more digits than a double holds)
   * stays a decimal, so it is echoed as sent instead of as "Infinity" or a rounded value, as long
   * as its exponent is within {@link #MAX_EXPONENT}. JSON has no Infinity or NaN, so a value that
   * is one cannot become a node. A number refused is an {@link OutOfRange}.
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
        return v.precision() <= 18
            ? numberNode(v.longValueExact())
            : numberNode(v.toBigIntegerExact());
      }
      if (v != null) {
        double d = v.doubleValue();
        if (Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(v) == 0) {
          return DoubleNode.valueOf(d);
        }
        long exponent = (long) v.precision() - v.scale() - 1; // 1.5e400 has precision 2, scale -399
        if (Math.abs(exponent) > MAX_EXPONENT) {
          throw new OutOfRange(v, OutOfRange.EXPONENT);
        }
      }
      return super.numberNode(v);
    }

    @Override
    public NumericNode numberNode(double v) {
      if (!Double.isFinite(v)) {
        throw new OutOfRange(v, OutOfRange.NOT_FINITE);
      }
      return super.numberNode(v);
    }

    @Override
    public NumericNode numberNode(float v) {
      if (!Float.isFinite(v)) {
        throw new OutOfRange(v, OutOfRange.NOT_FINITE);
      }
      return super.numberNode(v);
    }
  }

  /**
   * A number no node may hold; {@link #reason()} says why, so a parser can quote the number as it
   * was sent.
   */
  static final class OutOfRange extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    static final String EXPONENT =
        "in scientific notation its exponent must be between -"
            + MAX_EXPONENT
            + " and "
            + MAX_EXPONENT;
    static final String NOT_FINITE = "JSON has no Infinity or NaN";

    private final String reason;

    OutOfRange(Object number, String reason) {
      super("number " + number + " is out of range: " + reason);
      this.reason = reason;
    }

    String reason() {
      return reason;
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
