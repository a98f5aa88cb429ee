package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.ErrorObject;
import java.util.Objects;
import java.util.Optional;

/**
 * Why one command of a graph failed: a JSON-RPC error (the provider's own, or one of the codes
 * below, which the graph runner gives).
 *
 * @param code the JSON-RPC error code
 * @param message what went wrong
 * @param data more about it, if any
 */
public record CommandError(int code, String message, Optional<JsonNode> data) {

  /** The graph's deadline passed while the command ran; it was cancelled. */
  public static final int DEADLINE_EXCEEDED = ErrorObject.DEADLINE_EXCEEDED;

  /** The caller cancelled the graph while the command ran; it was cancelled. */
  public static final int CANCELLED = ErrorObject.CANCELLED;

  /**
   * A reference in the command's params ({@code prep.total}) names a path that its dependency's
   * result does not have; the command never ran. The message says which step failed: {@code
   * prep.total: prep's result has no field "total"}.
   */
  public static final int PATH_NOT_FOUND = -32020;

  /**
   * A command was skipped because a command it depends on failed (or was itself skipped). Skipped
   * commands carry no error of their own, only their names ({@link GraphOutcome#skipped()}); this
   * is the code for a whole graph that did not complete because of a failure.
   */
  public static final int DEPENDENCY_FAILED = -32021;

  /**
   * No provider anywhere in the cluster serves the command's function: the whole graph is refused
   * before anything runs.
   */
  public static final int UNKNOWN_FUNCTION = -32022;

  /**
   * The function is served, but no provider holds every resource of the command's {@code locs}: the
   * whole graph is refused before anything runs (or, found when the command starts, the command
   * fails).
   */
  public static final int NO_PROVIDER = -32023;

  /**
   * The node or client running the command went away before it answered; the command may or may not
   * have run. Idempotent functions are tried again elsewhere first.
   */
  public static final int PROVIDER_GONE = -32024;

  /**
   * The runner could not start the command (it threw, or returned nothing): a fault of the runner,
   * not of the command.
   */
  public static final int INTERNAL_ERROR = ErrorObject.INTERNAL_ERROR;

  /** The command's result completed with an exception other than a {@link CommandException}. */
  public static final int APPLICATION_ERROR = ErrorObject.APPLICATION_ERROR;

  public CommandError {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(data, "data");
  }

  /** An error without data. */
  public static CommandError of(int code, String message) {
    return new CommandError(code, message, Optional.empty());
  }

  /** This error as a JSON-RPC error object. */
  public ErrorObject toErrorObject() {
    return new ErrorObject(code, message, data);
  }

  /** This error as JSON: {@code {"code", "message", "data"?}}. */
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("code", code);
    json.put("message", message);
    data.ifPresent(d -> json.set("data", d.deepCopy()));
    return json;
  }
}
