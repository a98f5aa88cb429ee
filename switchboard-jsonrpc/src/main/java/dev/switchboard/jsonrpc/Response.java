package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/** The answer to a {@link Request}: exactly one of a result or an error. */
public sealed interface Response extends Message permits Response.Success, Response.Failure {

  Id id();

  static Response success(Id id, JsonNode result) {
    return new Success(id, result);
  }

  static Response failure(Id id, ErrorObject error) {
    return new Failure(id, error);
  }

  /** A result; a Java {@code null} result is sent as {@code "result": null}. */
  record Success(Id id, JsonNode result) implements Response {
    public Success {
      Objects.requireNonNull(id, "id");
      result = result == null ? NullNode.getInstance() : result;
    }
  }

  /** An error. */
  record Failure(Id id, ErrorObject error) implements Response {
    public Failure {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(error, "error");
    }
  }
}
