package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a graph run ended. Every command is in exactly one of {@link #results()} (it finished),
 * {@link #failed()} (it failed, was cancelled while running, or a path in its params did not
 * resolve) and {@link #skipped()} (it never ran: a dependency failed, or the run ended first).
 *
 * <p>Immutable. The result nodes are the runner's and must not be modified; the JSON views are
 * copies.
 */
public final class GraphOutcome {

  private final Map<String, JsonNode> results;
  private final Map<String, CommandError> failed;
  private final List<String> skipped;

  private GraphOutcome(
      Map<String, JsonNode> results, Map<String, CommandError> failed, List<String> skipped) {
    this.results = results;
    this.failed = failed;
    this.skipped = skipped;
  }

  static GraphOutcome of(
      LinkedHashMap<String, JsonNode> results,
      LinkedHashMap<String, CommandError> failed,
      List<String> skipped) {
    return new GraphOutcome(
        Collections.unmodifiableMap(new LinkedHashMap<>(results)),
        Collections.unmodifiableMap(new LinkedHashMap<>(failed)),
        List.copyOf(skipped));
  }

  /** Each finished command's result by name, in request order. */
  public Map<String, JsonNode> results() {
    return results;
  }

  /** Each failed command's error by name, in request order. */
  public Map<String, CommandError> failed() {
    return failed;
  }

  /** The names of the commands that never ran, in request order. */
  public List<String> skipped() {
    return skipped;
  }

  /** Whether every command finished (nothing failed or was skipped). */
  public boolean complete() {
    return failed.isEmpty() && skipped.isEmpty();
  }

  /** The results as the wire answers a complete graph: {@code {name: result, ...}}. */
  public ObjectNode resultsJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    results.forEach((name, result) -> json.set(name, result.deepCopy()));
    return json;
  }

  /**
   * The {@code data} of the error the wire answers an incomplete graph with: {@code {"failed":
   * {name: {code, message, data?}}, "skipped": [names], "results": {name: result}}}.
   */
  public ObjectNode errorData() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    ObjectNode failures = json.putObject("failed");
    failed.forEach((name, error) -> failures.set(name, error.toJson()));
    skipped.forEach(json.putArray("skipped")::add);
    json.set("results", resultsJson());
    return json;
  }

  @Override
  public String toString() {
    return "GraphOutcome[results="
        + results.keySet()
        + ", failed="
        + failed
        + ", skipped="
        + skipped
        + "]";
  }
}
