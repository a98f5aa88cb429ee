package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code rpc.discover} tells about one method.
 *
 * @param params the params in position order (by-name callers use their names)
 * @param result the JSON Schema of the result ({@code {"type":"null"}} for a method that returns
 *     nothing)
 */
public record MethodDescriptor(
    String name,
    Optional<String> description,
    List<Param> params,
    JsonNode result,
    ParamStructure paramStructure) {

  public MethodDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    params = List.copyOf(params);
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(paramStructure, "paramStructure");
  }

  /** One parameter and its JSON Schema. */
  public record Param(String name, JsonNode schema, boolean required) {
    public Param {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(schema, "schema");
    }
  }

  /** How a method accepts params, as OpenRPC spells it. */
  public enum ParamStructure {
    BY_NAME("by-name"),
    BY_POSITION("by-position"),
    EITHER("either");

    private final String openRpcName;

    ParamStructure(String openRpcName) {
      this.openRpcName = openRpcName;
    }

    public String openRpcName() {
      return openRpcName;
    }
  }
}
