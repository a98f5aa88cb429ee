package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.rpc.RpcMethods;
import java.util.List;
import java.util.Map;

/** Clients of a clustered-RPC test: callers, providers, their tokens. */
final class ClusterRpcFixture {

  private ClusterRpcFixture() {}

  /** A token of {@code user} whose {@code roles} claim is {@code roles}. */
  static String token(String user, String... roles) {
    ObjectNode claims = PushTokens.claims(user);
    claims.set("roles", Json.toNode(List.of(roles)));
    return PushTokens.hmac("HS256", PushTokens.SECRET, claims);
  }

  /** A plain client of {@code node} (a token without roles). */
  static SwitchboardClient caller(PushFixture node, String user) {
    return SwitchboardClient.connect(node.ws("token=" + PushTokens.valid(user)));
  }

  /** A plain client of {@code uri}. */
  static SwitchboardClient callerOf(java.net.URI uri) {
    return SwitchboardClient.connect(uri);
  }

  /**
   * A client of {@code node} with a token of role {@code provider}, answering with {@code methods}.
   */
  static SwitchboardClient provider(PushFixture node, String user, RpcMethods methods) {
    return SwitchboardClient.builder(node.ws("token=" + token(user, "provider")))
        .methods(methods)
        .connect();
  }

  /** One command of a {@code cluster.call}. */
  static ObjectNode cmd(String name, String method, JsonNode params, String... locs) {
    ObjectNode cmd = Json.nodes().objectNode().put("name", name).put("method", method);
    cmd.set("params", params);
    cmd.set("locs", Json.toNode(List.of(locs)));
    return cmd;
  }

  /** The params of a {@code cluster.call} of {@code cmds}. */
  static Map<String, Object> graph(long timeoutMs, ObjectNode... cmds) {
    return Map.of("cmds", List.of(cmds), "timeout_ms", timeoutMs);
  }

  /** JSON from single-quoted text. */
  static JsonNode json(String singleQuoted) {
    try {
      return Json.mapper().readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }

  /** The JSON-RPC error {@code call} fails with (joining a future inside it). */
  static dev.switchboard.rpc.RpcException failure(Runnable call) {
    try {
      call.run();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof dev.switchboard.rpc.RpcException rpc) {
        return rpc;
      }
      throw e;
    }
    throw new AssertionError("the call did not fail");
  }
}
