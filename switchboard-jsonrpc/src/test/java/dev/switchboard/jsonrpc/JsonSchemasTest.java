package dev.switchboard.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON Schema for the Java types of params and results, as Jackson binds them. */
class JsonSchemasTest {

  enum Color {
    RED,
    GREEN
  }

  record Point(int x, Integer y, String label) {}

  record Tree(String name, List<Tree> children) {}

  static final class Pojo {
    public int value;
  }

  private static JsonNode schema(Type type) {
    return JsonSchemas.of(type);
  }

  private static JsonNode json(String text) {
    return CodecRoundTripTest.tree(text);
  }

  @ParameterizedTest
  @ValueSource(
      classes = {
        int.class,
        Integer.class,
        long.class,
        Long.class,
        short.class,
        Short.class,
        byte.class,
        Byte.class,
        BigInteger.class
      })
  void integerTypesAreIntegers(Class<?> type) {
    assertThat(schema(type)).isEqualTo(json("{\"type\": \"integer\"}"));
  }

  @ParameterizedTest
  @ValueSource(classes = {double.class, Double.class, float.class, Float.class, BigDecimal.class})
  void floatingPointAndDecimalTypesAreNumbers(Class<?> type) {
    assertThat(schema(type)).isEqualTo(json("{\"type\": \"number\"}"));
  }

  @ParameterizedTest
  @ValueSource(classes = {String.class, CharSequence.class, char.class, Character.class})
  void textTypesAreStrings(Class<?> type) {
    assertThat(schema(type)).isEqualTo(json("{\"type\": \"string\"}"));
  }

  @Test
  void enumIsAStringListingItsConstants() {
    assertThat(schema(Color.class))
        .isEqualTo(json("{\"type\": \"string\", \"enum\": [\"RED\", \"GREEN\"]}"));
  }

  @ParameterizedTest
  @ValueSource(classes = {boolean.class, Boolean.class})
  void booleansAreBooleans(Class<?> type) {
    assertThat(schema(type)).isEqualTo(json("{\"type\": \"boolean\"}"));
  }

  @Test
  void listsAndArraysAreArraysOfTheirElements() {
    JsonNode arrayOfStrings = json("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}");

    assertThat(schema(new TypeReference<List<String>>() {}.getType())).isEqualTo(arrayOfStrings);
    assertThat(schema(String[].class)).isEqualTo(arrayOfStrings);
    assertThat(schema(new TypeReference<Set<String>>() {}.getType())).isEqualTo(arrayOfStrings);
    assertThat(schema(int[].class))
        .isEqualTo(json("{\"type\": \"array\", \"items\": {\"type\": \"integer\"}}"));
    assertThat(schema(new TypeReference<List<List<Double>>>() {}.getType()))
        .isEqualTo(
            json(
                "{\"type\": \"array\", \"items\": {\"type\": \"array\", \"items\": {\"type\": \"number\"}}}"));
  }

  @Test
  void genericArrayIsAnArrayOfItsComponent() {
    assertThat(schema(new TypeReference<List<Long>[]>() {}.getType()))
        .isEqualTo(
            json(
                "{\"type\": \"array\", \"items\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}}"));
  }

  @Test
  void rawListIsAnArrayOfAnything() {
    assertThat(schema(List.class)).isEqualTo(json("{\"type\": \"array\", \"items\": {}}"));
  }

  @Test
  void wildcardElementIsDescribedByItsBound() {
    assertThat(schema(new TypeReference<List<? extends Long>>() {}.getType()))
        .isEqualTo(json("{\"type\": \"array\", \"items\": {\"type\": \"integer\"}}"));
  }

  @Test
  void mapIsAnObjectWhoseAdditionalPropertiesAreItsValues() {
    assertThat(schema(new TypeReference<Map<String, Double>>() {}.getType()))
        .isEqualTo(
            json("{\"type\": \"object\", \"additionalProperties\": {\"type\": \"number\"}}"));
    assertThat(schema(new TypeReference<Map<String, List<Boolean>>>() {}.getType()))
        .isEqualTo(
            json(
                "{\"type\": \"object\", \"additionalProperties\": {\"type\": \"array\", \"items\": {\"type\": \"boolean\"}}}"));
  }

  @Test
  void recordIsAnObjectWithItsComponentsAsPropertiesAndPrimitivesRequired() {
    assertThat(schema(Point.class))
        .isEqualTo(
            json(
                """
        {"type": "object",
         "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}, "label": {"type": "string"}},
         "required": ["x"]}"""));
  }

  @Test
  void selfReferencingRecordEndsAsAPlainObject() {
    JsonNode tree = schema(Tree.class);

    JsonNode node = tree;
    int depth = 0;
    while (node.has("properties")) {
      assertThat(node.get("properties").get("name")).isEqualTo(json("{\"type\": \"string\"}"));
      node = node.get("properties").get("children").get("items");
      depth++;
    }
    assertThat(depth).isPositive();
    assertThat(node).isEqualTo(json("{\"type\": \"object\"}"));
  }

  @Test
  void optionalIsItsValue() {
    assertThat(schema(new TypeReference<Optional<String>>() {}.getType()))
        .isEqualTo(json("{\"type\": \"string\"}"));
  }

  @Test
  void asynchronousResultIsItsValue() {
    assertThat(schema(new TypeReference<CompletionStage<Integer>>() {}.getType()))
        .isEqualTo(json("{\"type\": \"integer\"}"));
    assertThat(schema(new TypeReference<CompletableFuture<List<String>>>() {}.getType()))
        .isEqualTo(json("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}"));
  }

  @ParameterizedTest
  @ValueSource(classes = {void.class, Void.class})
  void nothingIsNull(Class<?> type) {
    assertThat(schema(type)).isEqualTo(json("{\"type\": \"null\"}"));
  }

  @ParameterizedTest
  @ValueSource(classes = {Object.class, JsonNode.class})
  void untypedValuesAreAnything(Class<?> type) {
    assertThat(schema(type)).isEqualTo(json("{}"));
  }

  @Test
  void bytesAreABase64String() {
    assertThat(schema(byte[].class))
        .isEqualTo(json("{\"type\": \"string\", \"contentEncoding\": \"base64\"}"));
  }

  @Test
  void abstractNumberIsANumber() {
    // Jackson binds a Number param from any JSON number.
    assertThat(schema(Number.class)).isEqualTo(json("{\"type\": \"number\"}"));
  }

  @ParameterizedTest
  @ValueSource(classes = {UUID.class, URI.class})
  void valueTypesJacksonReadsFromStringsAreStrings(Class<?> type) {
    assertThat(schema(type).get("type")).isEqualTo(json("\"string\""));
  }

  @Test
  void otherClassesAreObjects() {
    assertThat(schema(Pojo.class)).isEqualTo(json("{\"type\": \"object\"}"));
  }

  @Test
  void typeVariableIsAnything() {
    assertThat(schema(List.class.getTypeParameters()[0])).isEqualTo(json("{}"));
  }
}
