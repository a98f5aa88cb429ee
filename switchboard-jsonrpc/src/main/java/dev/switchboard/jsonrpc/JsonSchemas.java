package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** JSON Schema for Java types, as far as Jackson binds them by default. */
public final class JsonSchemas {

  /** Records nest; a self-referencing one stops here and is described as a plain object. */
  private static final int MAX_DEPTH = 8;

  private static final Set<Class<?>> INTEGERS =
      Set.of(
          byte.class,
          short.class,
          int.class,
          long.class,
          Byte.class,
          Short.class,
          Integer.class,
          Long.class,
          BigInteger.class,
          OptionalInt.class,
          OptionalLong.class);
  private static final Set<Class<?>> NUMBERS =
      Set.of(
          float.class,
          double.class,
          Float.class,
          Double.class,
          BigDecimal.class,
          OptionalDouble.class,
          Number.class);

  /** Types Jackson (with the JDK 8 and java.time modules) writes as strings. */
  private static final Set<Class<?>> STRINGS =
      Set.of(
          java.util.UUID.class,
          java.net.URI.class,
          java.net.URL.class,
          java.util.Locale.class,
          java.util.Currency.class,
          java.util.regex.Pattern.class,
          java.io.File.class,
          java.nio.file.Path.class,
          java.util.TimeZone.class,
          java.nio.charset.Charset.class);

  private JsonSchemas() {}

  /**
   * The schema of values of {@code type}; {@code {}} (anything) where the type says nothing more.
   */
  public static JsonNode of(Type type) {
    return of(type, 0);
  }

  private static JsonNode of(Type type, int depth) {
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] args = parameterized.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        return array(of(args[0], depth + 1));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return typed("object").set("additionalProperties", of(args[1], depth + 1));
      }
      if (Optional.class == raw || CompletionStage.class.isAssignableFrom(raw)) {
        return of(args[0], depth);
      }
      return of(raw, depth);
    }
    if (type instanceof GenericArrayType array) {
      return array(of(array.getGenericComponentType(), depth + 1));
    }
    if (type instanceof WildcardType wildcard) {
      return of(wildcard.getUpperBounds()[0], depth);
    }
    if (type instanceof TypeVariable<?> || !(type instanceof Class<?> raw)) {
      return any();
    }
    return ofClass(raw, depth);
  }

  private static JsonNode ofClass(Class<?> raw, int depth) {
    if (raw == void.class || raw == Void.class) {
      return typed("null");
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return typed("boolean");
    }
    if (INTEGERS.contains(raw)) {
      return typed("integer");
    }
    if (NUMBERS.contains(raw)) {
      return typed("number");
    }
    if (CharSequence.class.isAssignableFrom(raw)
        || raw == char.class
        || raw == Character.class
        || STRINGS.stream().anyMatch(t -> t.isAssignableFrom(raw))
        || java.time.temporal.TemporalAccessor.class.isAssignableFrom(raw)
        || java.time.temporal.TemporalAmount.class.isAssignableFrom(raw)
        || raw == java.time.ZoneId.class) {
      return typed("string");
    }
    if (raw.isEnum()) {
      ArrayNode values = Json.nodes().arrayNode();
      for (Object constant : raw.getEnumConstants()) {
        values.add(constant.toString());
      }
      return typed("string").set("enum", values);
    }
    if (raw == byte[].class) {
      return typed("string").put("contentEncoding", "base64");
    }
    if (raw.isArray()) {
      return array(of(raw.getComponentType(), depth + 1));
    }
    if (Collection.class.isAssignableFrom(raw)) {
      return array(any());
    }
    if (raw.isRecord() && depth < MAX_DEPTH) {
      return record(raw, depth);
    }
    if (Map.class.isAssignableFrom(raw)
        || (raw != Object.class && !JsonNode.class.isAssignableFrom(raw))) {
      return typed("object");
    }
    return any();
  }

  private static JsonNode record(Class<?> raw, int depth) {
    ObjectNode properties = Json.nodes().objectNode();
    ArrayNode required = Json.nodes().arrayNode();
    for (RecordComponent component : raw.getRecordComponents()) {
      properties.set(component.getName(), of(component.getGenericType(), depth + 1));
      if (component.getType().isPrimitive()) {
        required.add(
            component
                .getName()); // Jackson fills a missing object member with null, not a primitive
      }
    }
    ObjectNode schema = typed("object");
    schema.set("properties", properties);
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    return schema;
  }

  private static ObjectNode typed(String name) {
    return Json.nodes().objectNode().put("type", name);
  }

  private static ObjectNode array(JsonNode items) {
    return typed("array").set("items", items);
  }

  private static ObjectNode any() {
    return Json.nodes().objectNode();
  }
}
