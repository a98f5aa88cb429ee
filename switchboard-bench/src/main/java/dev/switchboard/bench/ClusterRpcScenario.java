package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * The calls {@code BenchMain cluster-rpc} measures, on three nodes whose in-process functions carry
 * the resources r1, r2 and r3 (node 1, 2, 3); the client is connected to node 1. Each says what it
 * sends and the one answer it accepts, so that every reply of a run is checked.
 */
enum ClusterRpcScenario {
  /** The plain JSON-RPC method {@code echo(payload)} of node 1, without the cluster layer. */
  DIRECT("direct", "JSON-RPC `echo` on node 1, no cluster layer"),
  /** {@code cluster.call}: one {@code echo} at [r1], run in-process on node 1. */
  LOCAL("local", "`cluster.call` x=echo @r1: in-process on node 1"),
  /** {@code cluster.call}: one {@code echo} at [r2], run by node 2 over node 1's link to it. */
  ROUTED("routed", "`cluster.call` x=echo @r2: node 1 → node 2 over the node link"),
  /**
   * {@code cluster.call}: a=echo [1] at r1, b=echo ["a"] at r2, c=echo ["b"] at r3: three dependent
   * levels over the three nodes.
   */
  GRAPH3("graph3", "`cluster.call` a=echo [1] @r1, b=echo [\"a\"] @r2, c=echo [\"b\"] @r3");

  /** {@code cluster.call}'s {@code timeout_ms}: far above any latency of a healthy run. */
  static final long TIMEOUT_MS = 10_000;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String key;
  private final String description;

  ClusterRpcScenario(String key, String description) {
    this.key = key;
    this.description = description;
  }

  /** The report's row label. */
  String key() {
    return key;
  }

  /** What the call does, in Markdown. */
  String description() {
    return description;
  }

  /** Whether it goes through {@code cluster.call}. */
  boolean clustered() {
    return this != DIRECT;
  }

  String method() {
    return clustered() ? "cluster.call" : "echo";
  }

  /** The request's params for a payload string. */
  JsonNode params(String payload) {
    return switch (this) {
      case DIRECT -> JSON.arrayNode().add(payload);
      case LOCAL -> call(command("x", JSON.arrayNode().add(payload), "r1"));
      case ROUTED -> call(command("x", JSON.arrayNode().add(payload), "r2"));
      case GRAPH3 ->
          call(
              command("a", JSON.arrayNode().add(1), "r1"),
              command("b", JSON.arrayNode().add("a"), "r2"),
              command("c", JSON.arrayNode().add("b"), "r3"));
    };
  }

  /**
   * The only correct result: {@code echo} answers its params array, and a reference to a command is
   * replaced by that command's result, so each level nests one array deeper.
   */
  JsonNode expected(String payload) {
    return switch (this) {
      case DIRECT -> JSON.textNode(payload);
      case LOCAL, ROUTED -> JSON.objectNode().set("x", JSON.arrayNode().add(payload));
      case GRAPH3 -> {
        ArrayNode a = JSON.arrayNode().add(1);
        ArrayNode b = JSON.arrayNode().add(a.deepCopy());
        ArrayNode c = JSON.arrayNode().add(b.deepCopy());
        ObjectNode result = JSON.objectNode();
        result.set("a", a);
        result.set("b", b);
        result.set("c", c);
        yield result;
      }
    };
  }

  /** {@code ws-rpc-client.mjs}'s options for this call. */
  List<String> clientArgs(String payload) {
    return List.of(
        "--method",
        method(),
        "--params",
        write(params(payload)),
        "--expect",
        write(expected(payload)),
        "--on-error",
        "fail");
  }

  /** {@code bytes} ASCII characters, as {@code ws-rpc-client.mjs} makes its own payload. */
  static String payload(int bytes) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder s = new StringBuilder(bytes);
    for (int i = 0; i < bytes; i++) {
      s.append(alphabet.charAt(i % alphabet.length()));
    }
    return s.toString();
  }

  /** The scenario named {@code key}, if any. */
  static Optional<ClusterRpcScenario> fromKey(String key) {
    for (ClusterRpcScenario s : values()) {
      if (s.key.equals(key.strip())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static ObjectNode command(String name, ArrayNode params, String loc) {
    ObjectNode cmd = JSON.objectNode().put("name", name).put("method", "echo");
    cmd.set("params", params);
    cmd.set("locs", JSON.arrayNode().add(loc));
    return cmd;
  }

  private static ObjectNode call(ObjectNode... commands) {
    ObjectNode params = JSON.objectNode();
    ArrayNode cmds = params.putArray("cmds");
    for (ObjectNode c : commands) {
      cmds.add(c);
    }
    params.put("timeout_ms", TIMEOUT_MS);
    return params;
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + node, e);
    }
  }
}
