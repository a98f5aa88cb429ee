package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code params} member of a request or notification: absent, by position (an array) or by name
 * (an object).
 *
 * <p>The nodes are owned by the message: do not mutate them after building it.
 */
public sealed interface Params permits Params.None, Params.ByPosition, Params.ByName {

  /** No {@code params} member. */
  static Params none() {
    return None.INSTANCE;
  }

  /**
   * By-position params; each value is converted with Jackson ({@code JsonNode}s are taken as they
   * are).
   */
  static Params of(Object... values) {
    Objects.requireNonNull(values, "values");
    ArrayNode array = Json.nodes().arrayNode(values.length);
    for (Object value : values) {
      array.add(Json.toNode(value));
    }
    return new ByPosition(array);
  }

  /** By-name params; each value is converted with Jackson. Keys keep the map's iteration order. */
  static Params named(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    ObjectNode object = Json.nodes().objectNode();
    values.forEach(
        (name, value) ->
            object.set(Objects.requireNonNull(name, "param name"), Json.toNode(value)));
    return new ByName(object);
  }

  /**
   * Params from a JSON value: an array by position, an object by name, null or missing as none.
   *
   * @throws IllegalArgumentException for any other value, which JSON-RPC does not allow as params
   */
  static Params from(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return none();
    }
    if (node instanceof ArrayNode array) {
      return new ByPosition(array);
    }
    if (node instanceof ObjectNode object) {
      return new ByName(object);
    }
    throw new IllegalArgumentException(
        "params must be an array, an object or null, got " + node.getNodeType());
  }

  /** The params as one JSON value: an array, an object, or a missing node for {@link None}. */
  JsonNode node();

  /** No params member was sent. */
  enum None implements Params {
    INSTANCE;

    @Override
    public JsonNode node() {
      return Json.nodes().missingNode();
    }
  }

  /** Params by position. */
  record ByPosition(ArrayNode values) implements Params {
    public ByPosition {
      Objects.requireNonNull(values, "values");
    }

    @Override
    public JsonNode node() {
      return values;
    }
  }

  /** Params by name. */
  record ByName(ObjectNode values) implements Params {
    public ByName {
      Objects.requireNonNull(values, "values");
    }

    @Override
    public JsonNode node() {
      return values;
    }
  }
}
