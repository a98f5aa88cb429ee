package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.testing.RawWebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A development server on a free loopback port, with clients that close with it. */
final class TestServer implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(5);

  final SwitchboardServer server;

  TestServer(ServerConfig config) {
    this.server = SwitchboardServer.start(config);
  }

  static TestServer start() {
    return start(RpcMethods.empty(), RpcConfig.defaults());
  }

  static TestServer start(RpcMethods methods, RpcConfig rpc) {
    return new TestServer(
        ServerConfig.builder().host("127.0.0.1").port(0).methods(methods).rpc(rpc).build());
  }

  SwitchboardClient client() {
    return SwitchboardClient.connect(server.webSocketUri());
  }

  SwitchboardClient.Builder clientBuilder() {
    return SwitchboardClient.builder(server.webSocketUri());
  }

  RawWebSocket raw() {
    return RawWebSocket.connect(server.webSocketUri());
  }

  /** The next {@code count} answers on {@code socket}, by id, in whatever order they came. */
  static Map<Integer, JsonNode> answers(RawWebSocket socket, int count) {
    Map<Integer, JsonNode> byId = new HashMap<>();
    for (int i = 0; i < count; i++) {
      JsonNode answer = json(socket.nextText(WAIT));
      byId.put(answer.get("id").asInt(), answer);
    }
    return byId;
  }

  static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
