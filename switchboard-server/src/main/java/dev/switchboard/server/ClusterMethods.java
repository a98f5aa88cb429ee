package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.Identity;
import dev.switchboard.cluster.ClusterRpc;
import dev.switchboard.cluster.CommandError;
import dev.switchboard.cluster.CommandGraph;
import dev.switchboard.cluster.CommandRunner;
import dev.switchboard.cluster.GraphException;
import dev.switchboard.cluster.GraphOutcome;
import dev.switchboard.cluster.GraphRun;
import dev.switchboard.cluster.Invokers;
import dev.switchboard.cluster.NodeFunctions;
import dev.switchboard.cluster.Offer;
import dev.switchboard.cluster.RoutingException;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.rpc.RpcCall;
import dev.switchboard.rpc.RpcException;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.RpcPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cluster.*} methods of every connection: {@code cluster.call} runs a command graph
 * across the cluster; {@code cluster.register} and {@code cluster.unregister} make the connection a
 * provider of functions; {@code cluster.invoke} is how a node link runs a command on this node.
 *
 * <p>{@code cluster.functions} lists what every node serves (function, resources, idempotent) and
 * its load, this node first: what a caller may route to. In production, registering needs a token
 * whose {@code roles} contain {@value #PROVIDER_ROLE} or the API key at the handshake, and {@code
 * cluster.invoke} the API key; development mode lets every connection do both. Every method here is
 * non-blocking: routing reads cached state and every call it makes is asynchronous.
 */
final class ClusterMethods {

  /** The role a token needs to register functions in production. */
  static final String PROVIDER_ROLE = "provider";

  /** The role of a connection that presented the API key: other nodes' links, backends. */
  static final String NODE_ROLE = "node";

  /** Refused: the connection lacks the authority the method needs; nothing changed. */
  static final int NOT_ALLOWED = -32025;

  /** {@code cluster.call}'s deadline when it names none: {@value} ms. */
  static final long DEFAULT_TIMEOUT_MS = 30_000;

  /** The longest {@code timeout_ms}: {@value} ms. */
  static final long MAX_TIMEOUT_MS = 600_000;

  private static final Logger log = LoggerFactory.getLogger(ClusterMethods.class);

  private final Supplier<ClusterRpc> cluster;
  private final Function<RpcPeer, Optional<Session>> sessions;
  private final boolean development;

  /** Connections that registered, so each one's functions go when it closes. */
  private final Set<RpcPeer> providers = ConcurrentHashMap.newKeySet();

  ClusterMethods(
      Supplier<ClusterRpc> cluster,
      Function<RpcPeer, Optional<Session>> sessions,
      boolean development) {
    this.cluster = cluster;
    this.sessions = sessions;
    this.development = development;
  }

  /** The four methods, to include in every connection's methods. */
  RpcMethods methods() {
    return RpcMethods.builder()
        .nonBlockingMethod("cluster.call", this::call)
        .nonBlockingMethod("cluster.register", this::register)
        .nonBlockingMethod("cluster.unregister", this::unregister)
        .nonBlockingMethod("cluster.invoke", this::invoke)
        .nonBlockingMethod("cluster.functions", this::functions)
        .build();
  }

  // ---- cluster.call {cmds, timeout_ms}

  private Object call(RpcCall call) {
    ObjectNode params = object(call);
    CommandGraph graph;
    try {
      graph = CommandGraph.fromJson(params.get("cmds"));
    } catch (GraphException e) {
      ObjectNode data = Json.nodes().objectNode().put("rule", e.code().name());
      throw new RpcException(ErrorObject.INVALID_PARAMS, e.getMessage(), data);
    }
    Duration timeout = timeout(call, params.get("timeout_ms"));
    GraphRun run;
    try {
      run = cluster.get().call(graph, timeout);
    } catch (RoutingException e) {
      throw new RpcException(e.error().toErrorObject());
    }
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    run.outcome()
        .whenComplete(
            (outcome, failure) -> {
              if (failure != null) { // never, by GraphRun's contract; answered all the same
                answer.completeExceptionally(
                    new RpcException(
                        ErrorObject.INTERNAL_ERROR, "the graph run failed: " + failure));
              } else if (outcome.complete()) {
                answer.complete(outcome.resultsJson());
              } else {
                answer.completeExceptionally(failed(outcome));
              }
            });
    answer.whenComplete(
        (v, e) -> {
          if (answer.isCancelled()) {
            run.cancel();
          }
        });
    return answer;
  }

  private static RpcException failed(GraphOutcome outcome) {
    List<String> why = new ArrayList<>();
    outcome.failed().forEach((name, error) -> why.add(name + ": " + error.message()));
    int total = outcome.results().size() + outcome.failed().size() + outcome.skipped().size();
    String message =
        outcome.failed().size()
            + " of "
            + total
            + " commands failed ("
            + String.join("; ", why)
            + ")"
            + (outcome.skipped().isEmpty() ? "" : ", skipped: " + outcome.skipped());
    return new RpcException(CommandError.DEPENDENCY_FAILED, message, outcome.errorData());
  }

  /** {@code timeout_ms}: 1 to {@link #MAX_TIMEOUT_MS}; never beyond the call's own deadline. */
  private static Duration timeout(RpcCall call, JsonNode ms) {
    Duration asked = Duration.ofMillis(DEFAULT_TIMEOUT_MS);
    if (ms != null && !ms.isNull()) {
      if (!ms.canConvertToExactIntegral()
          || !ms.canConvertToLong()
          || ms.asLong() < 1
          || ms.asLong() > MAX_TIMEOUT_MS) {
        throw invalid(
            "timeout_ms must be a whole number from 1 to " + MAX_TIMEOUT_MS + ", got " + ms);
      }
      asked = Duration.ofMillis(ms.asLong());
    }
    Optional<Duration> left = call.remaining().filter(d -> !d.isZero());
    return left.isPresent() && left.get().compareTo(asked) < 0 ? left.get() : asked;
  }

  // ---- cluster.register {functions, resources, idempotent}

  private Object register(RpcCall call) {
    Session session = authorized(call, "register functions", PROVIDER_ROLE);
    ObjectNode params = object(call);
    List<String> functions = strings(params, "functions", true);
    List<String> resources = strings(params, "resources", false);
    JsonNode idempotent = params.get("idempotent");
    if (idempotent != null && !idempotent.isBoolean() && !idempotent.isNull()) {
      throw invalid("idempotent must be true or false, got " + idempotent);
    }
    RpcPeer peer = call.peer();
    List<Offer> added;
    try {
      added =
          cluster
              .get()
              .providers()
              .add(
                  providerId(session),
                  functions,
                  resources,
                  idempotent != null && idempotent.asBoolean(),
                  Invokers.overPeer(peer));
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    if (providers.add(peer)) {
      peer.closeFuture()
          .whenComplete(
              (why, e) -> {
                providers.remove(peer);
                cluster.get().providers().remove(providerId(session), List.of());
              });
    }
    LogFields.device(session, log.atInfo())
        .log("{}: provides {} with resources {}", session.describe(), functions, resources);
    ObjectNode answer = Json.nodes().objectNode();
    answer.set("registered", Json.toNode(added.stream().map(Offer::function).toList()));
    answer.set("resources", Json.toNode(added.getFirst().resources()));
    answer.put("node", cluster.get().nodeId());
    return answer;
  }

  // ---- cluster.unregister {functions}

  private Object unregister(RpcCall call) {
    Session session = sessionOf(call);
    JsonNode node = call.params().node();
    List<String> functions =
        node.isObject() ? strings((ObjectNode) node, "functions", false) : List.of();
    List<String> removed = cluster.get().providers().remove(providerId(session), functions);
    return Map.of("unregistered", removed);
  }

  // ---- cluster.invoke {function, params, locs}: a node link's call

  private Object invoke(RpcCall call) {
    authorized(call, "run commands for other nodes (cluster.invoke)", NODE_ROLE);
    ObjectNode params = object(call);
    JsonNode function = params.get("function");
    if (function == null || !function.isTextual()) {
      throw invalid("missing param 'function' (a string)");
    }
    JsonNode args = params.get("params");
    if (args == null || !(args.isArray() || args.isObject())) {
      throw invalid("params must be an array or an object");
    }
    List<String> locs = strings(params, "locs", false);
    Duration timeout =
        call.remaining().filter(d -> !d.isZero()).orElse(Duration.ofMillis(DEFAULT_TIMEOUT_MS));
    ClusterRpc rpc = cluster.get();
    CommandRunner.Running running =
        rpc.invokeHere(function.asText(), locs, args, timeout)
            .orElseThrow(
                () ->
                    new RpcException(
                        CommandError.NO_PROVIDER,
                        "node "
                            + rpc.nodeId()
                            + " has no provider of function \""
                            + function.asText()
                            + "\" with all the resources "
                            + locs
                            + " (any more)"));
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    running
        .result()
        .whenComplete(
            (value, failure) -> {
              if (failure == null) {
                answer.complete(value);
              } else {
                CommandError error = Invokers.errorOf(failure);
                answer.completeExceptionally(new RpcException(error.toErrorObject()));
              }
            });
    answer.whenComplete(
        (v, e) -> {
          if (answer.isCancelled()) {
            running.cancel();
          }
        });
    return answer;
  }

  // ---- cluster.functions: what a caller can call, node by node

  private Object functions(RpcCall call) {
    ClusterRpc rpc = cluster.get();
    ObjectNode answer = Json.nodes().objectNode().put("node", rpc.nodeId());
    ArrayNode nodes = answer.putArray("nodes");
    offers(
        nodes.addObject().put("node_id", rpc.nodeId()).put("load", rpc.providers().load()),
        rpc.providers().offers());
    for (NodeFunctions n : rpc.others()) {
      offers(nodes.addObject().put("node_id", n.nodeId()).put("load", n.load()), n.offers());
    }
    return answer;
  }

  private static void offers(ObjectNode node, List<Offer> offers) {
    ArrayNode out = node.putArray("functions");
    for (Offer o : offers) {
      ObjectNode f = out.addObject().put("function", o.function());
      f.set("resources", Json.toNode(o.resources()));
      f.put("idempotent", o.idempotent());
    }
  }

  // ---- helpers

  private Session sessionOf(RpcCall call) {
    return sessions
        .apply(call.peer())
        .orElseThrow(() -> new RpcException(ErrorObject.INTERNAL_ERROR, "the connection is gone"));
  }

  /** The caller's session, when it may do {@code what}; else a {@link #NOT_ALLOWED} error. */
  private Session authorized(RpcCall call, String what, String role) {
    Session session = sessionOf(call);
    Identity identity = session.identity();
    if (development || identity.hasRole(NODE_ROLE) || identity.hasRole(role)) {
      return session;
    }
    throw new RpcException(
        NOT_ALLOWED,
        "not allowed to "
            + what
            + ": "
            + (role.equals(NODE_ROLE)
                ? "only other nodes may (they connect with the API key)"
                : "connect with a token whose roles contain \""
                    + role
                    + "\", or with the API key (X-API-Key)"));
  }

  private static String providerId(Session session) {
    return "connection " + session.id();
  }

  private static ObjectNode object(RpcCall call) {
    JsonNode node = call.params().node();
    if (!(node instanceof ObjectNode object)) {
      throw invalid(call.method() + " takes its params by name (an object)");
    }
    return object;
  }

  private static List<String> strings(ObjectNode params, String name, boolean required) {
    JsonNode node = params.get(name);
    if (node == null || node.isNull()) {
      if (required) {
        throw invalid("missing param '" + name + "' (an array of strings)");
      }
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid(name + " must be an array of strings, got " + node);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw invalid(name + " must be an array of strings, got " + item + " in it");
      }
      out.add(item.asText());
    }
    return out;
  }

  private static RpcException invalid(String why) {
    return new RpcException(ErrorObject.INVALID_PARAMS, why);
  }
}
