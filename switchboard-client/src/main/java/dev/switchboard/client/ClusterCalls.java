package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.RpcException;
import dev.switchboard.rpc.RpcPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Clustered RPC through one connection ({@link SwitchboardClient#cluster()}): a call routed to a
 * provider of a function with given resources, a graph of such calls, and providing functions.
 *
 * <pre>{@code
 * JsonNode sum = client.cluster().call("sum", Params.of(1, 2), "eu").join();
 *
 * Map<String, JsonNode> results = client.cluster().graph()
 *     .command("rows", "load", Params.named(Map.of("table", "t1")), "dataset-1")
 *     .command("total", "sum", Params.of("rows.0.n", "rows.1.n"))
 *     .timeout(Duration.ofSeconds(5))
 *     .call().join();
 * }</pre>
 *
 * <p>A graph that fails completes with an {@link RpcException} of code -32021 whose {@code data}
 * holds {@code failed} (name to error), {@code skipped} (names) and the partial {@code results}.
 */
public final class ClusterCalls {

  /** The name of the one command of {@link #call}. */
  static final String ONE = "call";

  private final RpcPeer peer;

  ClusterCalls(RpcPeer peer) {
    this.peer = Objects.requireNonNull(peer, "peer");
  }

  /**
   * Calls {@code function} on a provider whose resources include every tag of {@code locs} (this
   * node's first, else the least loaded). Fails with the provider's own error.
   */
  public CompletableFuture<JsonNode> call(String function, Params params, String... locs) {
    Graph graph = graph().command(ONE, function, params, locs);
    return graph
        .call()
        .handle(
            (results, failure) -> {
              if (failure == null) {
                return results.get(ONE);
              }
              throw new CompletionException(ownError(unwrap(failure)));
            });
  }

  /** Starts a graph of commands, sent together as one {@code cluster.call}. */
  public Graph graph() {
    return new Graph();
  }

  /**
   * Provides {@code functions} with {@code resources} to the cluster ({@code cluster.register}):
   * calls arrive as ordinary requests, answered by the methods this client was built with ({@link
   * SwitchboardClient.Builder#methods}). Completes with the names registered.
   */
  public CompletableFuture<List<String>> register(
      List<String> functions, List<String> resources, boolean idempotent) {
    ObjectNode params = Json.nodes().objectNode();
    params.set("functions", Json.toNode(functions));
    params.set("resources", Json.toNode(resources));
    params.put("idempotent", idempotent);
    return peer.call("cluster.register", Params.from(params))
        .thenApply(answer -> strings(answer.path("registered")));
  }

  /** Stops providing {@code functions} (none: all of them); completes with those removed. */
  public CompletableFuture<List<String>> unregister(List<String> functions) {
    ObjectNode params = Json.nodes().objectNode();
    params.set("functions", Json.toNode(functions));
    return peer.call("cluster.unregister", Params.from(params))
        .thenApply(answer -> strings(answer.path("unregistered")));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A one-command graph's failure as that command's own error. */
  private static Throwable ownError(Throwable failure) {
    if (failure instanceof RpcException e) {
      Optional<JsonNode> own = e.error().data().map(d -> d.path("failed").path(ONE));
      if (own.isPresent() && own.get().isObject()) {
        JsonNode error = own.get();
        return new RpcException(
            new ErrorObject(
                error.path("code").asInt(ErrorObject.APPLICATION_ERROR),
                error.path("message").asText(),
                Optional.ofNullable(error.get("data"))));
      }
    }
    return failure;
  }

  /**
   * A graph of commands: a string in a command's params equal to another command's name, or
   * starting with it and a {@code .} (a path into its result: {@code rows.0.id}), is replaced by
   * that result; commands start as soon as what they refer to is done.
   */
  public final class Graph {
    private final ArrayNode cmds = Json.nodes().arrayNode();
    private Optional<Duration> timeout = Optional.empty();

    private Graph() {}

    /** Adds a command: call {@code method} with {@code params} at a provider with {@code locs}. */
    public Graph command(String name, String method, Params params, String... locs) {
      ObjectNode cmd = cmds.addObject();
      cmd.put("name", Objects.requireNonNull(name, "name"));
      cmd.put("method", Objects.requireNonNull(method, "method"));
      JsonNode p = params.node();
      cmd.set("params", p.isMissingNode() ? Json.nodes().arrayNode() : p);
      cmd.set("locs", Json.toNode(List.of(locs)));
      return this;
    }

    /** One deadline for the whole graph. Default: the server's (30 s). */
    public Graph timeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + value);
      }
      timeout = Optional.of(value);
      return this;
    }

    /** Sends the graph; completes with every command's result by name, in the order added. */
    public CompletableFuture<Map<String, JsonNode>> call() {
      ObjectNode params = Json.nodes().objectNode();
      params.set("cmds", cmds.deepCopy());
      timeout.ifPresent(t -> params.put("timeout_ms", Math.max(1, t.toMillis())));
      CompletableFuture<JsonNode> sent =
          timeout.isPresent()
              ? peer.call(
                  "cluster.call", Params.from(params), JsonNode.class, timeout.get().plusSeconds(1))
              : peer.call("cluster.call", Params.from(params));
      return sent.thenApply(
          answer -> {
            Map<String, JsonNode> results = new LinkedHashMap<>();
            answer.properties().forEach(e -> results.put(e.getKey(), e.getValue()));
            return results;
          });
    }
  }
}
