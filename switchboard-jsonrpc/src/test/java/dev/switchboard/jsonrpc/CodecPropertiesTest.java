package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/**
 * Properties of both codecs over generated input: decoding never throws, valid messages survive the
 * trip, and a damaged message decodes to one of the outcomes the protocol knows, never to something
 * that changes when sent on.
 */
class CodecPropertiesTest {

  private static final List<Codec> CODECS = List.of(Codec.json(), Codec.msgpack());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper PLAIN_JSON = JsonMapper.builder().build();
  private static final ObjectMapper PLAIN_MSGPACK = new MessagePackMapper();
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** The characters that make or break JSON's structure, to insert and replace with. */
  private static final String JSON_SYNTAX = "{}[]:,\"\\ \t\n0123456789-+.eEtruefalsn/u";

  /**
   * Bytes that start MessagePack containers, strings, numbers and extensions, and the one reserved
   * byte.
   */
  private static final byte[] MSGPACK_HEADERS = {
    (byte) 0x80,
    (byte) 0x81,
    (byte) 0x84,
    (byte) 0x8F,
    (byte) 0x90,
    (byte) 0x91,
    (byte) 0x9F,
    (byte) 0xA0,
    (byte) 0xA2,
    (byte) 0xA7,
    (byte) 0xBF,
    (byte) 0xC0,
    (byte) 0xC1,
    (byte) 0xC2,
    (byte) 0xC3,
    (byte) 0xC4,
    (byte) 0xC7,
    (byte) 0xCA,
    (byte) 0xCB,
    (byte) 0xCC,
    (byte) 0xCF,
    (byte) 0xD0,
    (byte) 0xD3,
    (byte) 0xD4,
    (byte) 0xD9,
    (byte) 0xDB,
    (byte) 0xDC,
    (byte) 0xDD,
    (byte) 0xDE,
    (byte) 0xDF,
    (byte) 0xE0,
    (byte) 0xFF,
    0x00,
    0x01,
    0x7F
  };

  // ---- (a) any bytes

  @Property(tries = 1000)
  void anyBytesDecodeWithoutThrowing(@ForAll("anyBytes") byte[] bytes) {
    for (Codec codec : CODECS) {
      assertSoundOutcome(codec, codec.decode(bytes), Optional.empty());
    }
  }

  @Provide
  Arbitrary<byte[]> anyBytes() {
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    Arbitrary<byte[]> jsonLike =
        Arbitraries.strings()
            .withChars(JSON_SYNTAX)
            .withChars("jsonrpc2.0methodparamsidresulterrorcodemessage")
            .ofMaxLength(80)
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> msgpackLike =
        Arbitraries.frequencyOf(
                List.of(
                    Tuple.of(3, Arbitraries.of(toList(MSGPACK_HEADERS))),
                    Tuple.of(2, Arbitraries.bytes())))
            .list()
            .ofMaxSize(48)
            .map(CodecPropertiesTest::toArray);
    return Arbitraries.frequencyOf(
        List.of(Tuple.of(2, raw), Tuple.of(2, jsonLike), Tuple.of(2, msgpackLike)));
  }

  // ---- (b) valid messages

  @Property(tries = 1000)
  void validMessagesRoundTripUnchangedThroughBothCodecs(@ForAll("messages") Message message) {
    for (Codec codec : CODECS) {
      assertThat(codec.decode(codec.encode(message)))
          .as("with %s", codec.encoding())
          .isEqualTo(new Decoded.Single(message));
    }
  }

  @Property(tries = 300)
  void validBatchesRoundTripUnchangedAndInOrderThroughBothCodecs(
      @ForAll("batches") List<Message> batch) {
    for (Codec codec : CODECS) {
      assertThat(codec.decode(codec.encodeBatch(batch)))
          .as("with %s", codec.encoding())
          .isEqualTo(new Decoded.Batch(List.copyOf(batch)));
    }
  }

  @Provide
  Arbitrary<List<Message>> batches() {
    return messages().list().ofMinSize(1).ofMaxSize(5);
  }

  @Provide
  Arbitrary<Message> messages() {
    Arbitrary<Message> request =
        Combinators.combine(ids(), text(), params(), timeouts())
            .as(
                (id, method, params, timeout) ->
                    (Message) new Request(id, method, params, timeout));
    Arbitrary<Message> notification =
        Combinators.combine(text(), params())
            .as((method, params) -> (Message) new Notification(method, params));
    Arbitrary<Message> success =
        Combinators.combine(ids(), value(3))
            .as((id, result) -> (Message) Response.success(id, result));
    Arbitrary<Message> failure =
        Combinators.combine(ids(), Arbitraries.integers(), text(), value(2).optional())
            .as(
                (id, code, message, data) ->
                    (Message) Response.failure(id, new ErrorObject(code, message, data)));
    return Arbitraries.oneOf(List.of(request, notification, success, failure));
  }

  private static Arbitrary<Id> ids() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(3, text().map(Id::of)),
            Tuple.of(3, Arbitraries.longs().map(Id::of)),
            Tuple.of(1, Arbitraries.just(Id.nullId()))));
  }

  private static Arbitrary<OptionalLong> timeouts() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(2, Arbitraries.just(OptionalLong.empty())),
            Tuple.of(1, Arbitraries.longs().greaterOrEqual(0).map(OptionalLong::of))));
  }

  private static Arbitrary<Params> params() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(1, Arbitraries.just(Params.none())),
            Tuple.of(2, array(3).map(a -> (Params) new Params.ByPosition(a))),
            Tuple.of(2, object(3).map(o -> (Params) new Params.ByName(o)))));
  }

  /** Strings of whole Unicode scalar values: what both JSON and MessagePack (UTF-8) can carry. */
  private static Arbitrary<String> text() {
    Arbitrary<String> bmp =
        Arbitraries.strings()
            .withCharRange('\u0000', '\u007f')
            .withCharRange('\u00a0', '\u024f')
            .withCharRange('\u2000', '\u2bff')
            .withCharRange('\ue000', '\ufffd')
            .ofMaxLength(10);
    Arbitrary<String> supplementary =
        Arbitraries.of("\ud83d\ude00", "\ud834\udd1e", "a\ud83c\udf89b");
    return Arbitraries.frequencyOf(List.of(Tuple.of(9, bmp), Tuple.of(1, supplementary)));
  }

  /** A JSON value nested at most {@code depth} deep, with the node types both parsers produce. */
  private static Arbitrary<JsonNode> value(int depth) {
    if (depth == 0) {
      return scalar();
    }
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(4, scalar()),
            Tuple.of(1, array(depth - 1).map(JsonNode.class::cast)),
            Tuple.of(1, object(depth - 1).map(JsonNode.class::cast))));
  }

  private static Arbitrary<ArrayNode> array(int depth) {
    // Edge cases of nested containers multiply into more than the tries; the scalars keep theirs.
    return value(depth)
        .list()
        .ofMaxSize(4)
        .withoutEdgeCases()
        .map(
            values -> {
              ArrayNode array = NODES.arrayNode();
              values.forEach(array::add);
              return array;
            });
  }

  private static Arbitrary<ObjectNode> object(int depth) {
    return Arbitraries.maps(text(), value(depth))
        .ofMaxSize(4)
        .withoutEdgeCases()
        .map(
            members -> {
              ObjectNode object = NODES.objectNode();
              members.forEach(object::set);
              return object;
            });
  }

  private static Arbitrary<JsonNode> scalar() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(1, Arbitraries.just(NODES.nullNode())),
            Tuple.of(1, Arbitraries.of(true, false).map(NODES::booleanNode)),
            Tuple.of(3, Arbitraries.longs().map(CodecPropertiesTest::integer)),
            Tuple.of(
                1,
                Arbitraries.bigIntegers()
                    .between(LONG_MAX.add(BigInteger.ONE), UINT64_MAX)
                    .map(NODES::numberNode)),
            Tuple.of(2, Arbitraries.doubles().map(NODES::numberNode)),
            Tuple.of(3, text().map(NODES::textNode))));
  }

  /** An integer as the parsers read it back: an int node when it fits, else a long node. */
  private static JsonNode integer(long value) {
    return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
  }

  // ---- (c) one mutation of a valid message

  /** One way of damaging an encoded message. */
  enum Damage {
    DELETE,
    INSERT,
    REPLACE,
    DROP_MEMBER,
    RETYPE_MEMBER
  }

  /** A valid message, damaged once; prints as the damaged input. */
  record Mutant(Encoding encoding, Message original, Damage damage, String where, byte[] bytes) {
    boolean structural() {
      return damage == Damage.DROP_MEMBER || damage == Damage.RETYPE_MEMBER;
    }

    @Override
    public String toString() {
      String shown =
          encoding == Encoding.JSON
              ? new String(bytes, StandardCharsets.UTF_8)
              : HexFormat.of().formatHex(bytes);
      return encoding + " " + damage + " " + where + ": " + shown;
    }
  }

  @Property(tries = 1000)
  void anySingleMutationOfAValidMessageDecodesToAnOutcomeThatSurvivesReencoding(
      @ForAll("mutants") Mutant mutant) {
    Codec codec = Codec.of(mutant.encoding());

    Decoded decoded = codec.decode(mutant.bytes());

    // Damage to the structure keeps the id, if any; a damaged byte or char may have hit the id
    // itself.
    Optional<Id> originalId =
        mutant.structural() ? Optional.of(idOf(mutant.original())) : Optional.empty();
    assertSoundOutcome(codec, decoded, originalId);
  }

  @Provide
  Arbitrary<Mutant> mutants() {
    return Combinators.combine(
            Arbitraries.of(Encoding.values()),
            messages(),
            Arbitraries.of(Damage.values()),
            Arbitraries.integers().greaterOrEqual(0),
            Arbitraries.integers().greaterOrEqual(0),
            insertions(),
            replacementValues())
        .as(CodecPropertiesTest::mutate);
  }

  private static Arbitrary<String> insertions() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(3, Arbitraries.of(toCodePoints(JSON_SYNTAX))),
            Tuple.of(
                1,
                text()
                    .filter(s -> !s.isEmpty())
                    .map(s -> s.substring(0, s.offsetByCodePoints(0, 1))))));
  }

  private static Arbitrary<JsonNode> replacementValues() {
    return Arbitraries.of(
        List.<JsonNode>of(
            NODES.textNode("x"),
            NODES.numberNode(1),
            NODES.numberNode(-2.5),
            NODES.booleanNode(true),
            NODES.nullNode(),
            NODES.arrayNode(),
            NODES.objectNode(),
            NODES.arrayNode().add(1).add("a"),
            NODES.objectNode().put("code", 1),
            NODES.numberNode(UINT64_MAX)));
  }

  private static Mutant mutate(
      Encoding encoding,
      Message original,
      Damage damage,
      int at,
      int pick,
      String insertion,
      JsonNode value) {
    byte[] valid = Codec.of(encoding).encode(original);
    return switch (damage) {
      case DELETE, INSERT, REPLACE ->
          encoding == Encoding.JSON && pick % 2 == 0
              ? mutateText(
                  original, damage, new String(valid, StandardCharsets.UTF_8), at, insertion)
              : mutateBytes(encoding, original, damage, valid, at, (byte) (pick >> 1));
      case DROP_MEMBER, RETYPE_MEMBER ->
          mutateTree(encoding, original, damage, valid, at, pick, value);
    };
  }

  /** Damage at the level of Unicode code points: the text stays valid UTF-8. */
  private static Mutant mutateText(
      Message original, Damage damage, String text, int at, String insertion) {
    int[] points = text.codePoints().toArray();
    int i = at % (points.length + (damage == Damage.INSERT ? 1 : 0));
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < points.length; k++) {
      if (k == i && damage == Damage.INSERT) {
        out.append(insertion);
      }
      if (k == i && damage == Damage.REPLACE) {
        out.append(insertion);
        continue;
      }
      if (k == i && damage == Damage.DELETE) {
        continue;
      }
      out.appendCodePoint(points[k]);
    }
    if (i == points.length && damage == Damage.INSERT) {
      out.append(insertion);
    }
    return new Mutant(
        Encoding.JSON,
        original,
        damage,
        "char " + i + " '" + insertion + "'",
        out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Mutant mutateBytes(
      Encoding encoding, Message original, Damage damage, byte[] valid, int at, byte inserted) {
    List<Byte> bytes = new ArrayList<>(toList(valid));
    int i = at % (bytes.size() + (damage == Damage.INSERT ? 1 : 0));
    switch (damage) {
      case DELETE -> bytes.remove(i);
      case INSERT -> bytes.add(i, inserted);
      default -> bytes.set(i, bytes.get(i) == inserted ? (byte) ~inserted : inserted);
    }
    return new Mutant(
        encoding,
        original,
        damage,
        "byte " + i + " " + HexFormat.of().toHexDigits(inserted),
        toArray(bytes));
  }

  /** Drops a member of one of the message's objects, or gives it a value of another type. */
  private static Mutant mutateTree(
      Encoding encoding,
      Message original,
      Damage damage,
      byte[] valid,
      int at,
      int pick,
      JsonNode value) {
    ObjectMapper plain = encoding == Encoding.JSON ? PLAIN_JSON : PLAIN_MSGPACK;
    try {
      JsonNode tree = plain.readTree(valid);
      List<ObjectNode> objects = new ArrayList<>();
      collectObjects(tree, objects);
      List<ObjectNode> withMembers = objects.stream().filter(o -> !o.isEmpty()).toList();
      ObjectNode target = withMembers.get(at % withMembers.size());
      List<String> names = new ArrayList<>();
      target.fieldNames().forEachRemaining(names::add);
      String name = names.get(pick % names.size());
      if (damage == Damage.DROP_MEMBER) {
        target.remove(name);
      } else {
        JsonNode current = target.get(name);
        JsonNode other = current.isTextual() ? NODES.numberNode(0) : NODES.textNode("retyped");
        target.set(name, value.getNodeType() == current.getNodeType() ? other : value);
      }
      return new Mutant(
          encoding, original, damage, "member '" + name + "'", plain.writeValueAsBytes(tree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void collectObjects(JsonNode node, List<ObjectNode> into) {
    if (node instanceof ObjectNode object) {
      into.add(object);
    }
    node.forEach(child -> collectObjects(child, into));
  }

  private static Id idOf(Message message) {
    return switch (message) {
      case Request request -> request.id();
      case Response response -> response.id();
      case Notification notification -> Id.nullId();
    };
  }

  // ---- what every decoded outcome must satisfy

  /**
   * Unparsable, or entries each of which is a message that re-encodes to itself, an Invalid Request
   * error, or a discarded response. {@code invalidId}, when known, is the only id besides null an
   * Invalid entry may carry.
   */
  private static void assertSoundOutcome(Codec codec, Decoded decoded, Optional<Id> invalidId) {
    assertThat(decoded).isNotNull();
    switch (decoded) {
      case Decoded.Unparsable unparsable -> assertThat(unparsable.reason()).isNotNull();
      case Decoded.Single single -> assertSoundEntry(codec, single.entry(), invalidId);
      case Decoded.Batch batch -> {
        assertThat(batch.entries()).isNotEmpty();
        batch.entries().forEach(entry -> assertSoundEntry(codec, entry, invalidId));
      }
    }
  }

  private static void assertSoundEntry(Codec codec, Entry entry, Optional<Id> invalidId) {
    switch (entry) {
      case Message message -> {
        // Re-encoding reaches a fixed point: the bytes decode to the same kind of message, which
        // encodes to the very same bytes. (Not tree equality: JSON has one number type, and a
        // number like -2.56E17 comes back as -256000000000000000, a long where it was a decimal.)
        byte[] again = codec.encode(message);
        Decoded redecoded = codec.decode(again);
        assertThat(redecoded)
            .as("%s re-encoded as %s", message, show(codec, again))
            .isInstanceOfSatisfying(
                Decoded.Single.class,
                single ->
                    assertThat(single.entry())
                        .isInstanceOfSatisfying(
                            Message.class,
                            same -> {
                              assertThat(same.getClass()).isEqualTo(message.getClass());
                              assertThat(codec.encode(same)).isEqualTo(again);
                            }));
      }
      case Invalid invalid -> {
        assertThat(invalid.error().code()).isEqualTo(ErrorObject.INVALID_REQUEST);
        invalidId.ifPresent(id -> assertThat(invalid.id()).isIn(Id.nullId(), id));
      }
      case Discarded discarded -> assertThat(discarded.reason()).isNotBlank();
    }
  }

  private static String show(Codec codec, byte[] bytes) {
    return codec.encoding() == Encoding.JSON
        ? new String(bytes, StandardCharsets.UTF_8)
        : HexFormat.of().formatHex(bytes);
  }

  // ---- small conversions

  private static List<Byte> toList(byte[] bytes) {
    List<Byte> list = new ArrayList<>(bytes.length);
    for (byte b : bytes) {
      list.add(b);
    }
    return list;
  }

  private static byte[] toArray(List<Byte> list) {
    byte[] bytes = new byte[list.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = list.get(i);
    }
    return bytes;
  }

  private static List<String> toCodePoints(String text) {
    return text.codePoints().mapToObj(Character::toString).toList();
  }
}
