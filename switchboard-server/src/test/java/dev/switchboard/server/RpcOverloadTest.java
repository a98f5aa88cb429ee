package dev.switchboard.server;

import static dev.switchboard.server.TestServer.WAIT;
import static dev.switchboard.server.TestServer.answers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.websocket.CloseCodes;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code switchboard serve}'s own message rate, over real sockets. (How a message rate and a shared
 * handler limit answer is the RPC peer's own spec: OverloadSpec in switchboard-rpc.)
 */
class RpcOverloadTest {

  /**
   * Under {@code switchboard serve}'s own defaults (50 a second after a burst of 200): a JSON-RPC
   * client that fires 200 calls at once, as clients do at start-up, gets 200 answers; one that
   * keeps flooding is still cut off.
   */
  @Test
  void underServesDefaultsAClientMayBurst200CallsButAFloodIsStillCutOff() {
    try (SwitchboardServer serve =
            SwitchboardServer.start(
                ConfigLoader.load(
                    Optional.empty(), Map.of(), Map.of("host", "127.0.0.1", "port", "0")));
        RawWebSocket socket = RawWebSocket.connect(serve.webSocketUri())) {
      for (int id = 1; id <= 200; id++) {
        socket.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":" + id + "}");
      }
      Map<Integer, JsonNode> byId = answers(socket, 200);
      assertThat(byId.values())
          .as("answers to a burst of 200")
          .allSatisfy(answer -> assertThat(answer.path("result").asText()).isEqualTo("pong"));
      for (int id = 201; id <= 1000 && !socket.closed().isDone(); id++) {
        socket.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":" + id + "}");
      }
      assertThat(socket.closed())
          .succeedsWithin(WAIT)
          .extracting(RawWebSocket.Closed::code)
          .isEqualTo(CloseCodes.POLICY_VIOLATION);
    }
  }
}
