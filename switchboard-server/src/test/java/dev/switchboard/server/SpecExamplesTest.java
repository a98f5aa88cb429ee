package dev.switchboard.server;

import static dev.switchboard.server.TestServer.WAIT;
import static dev.switchboard.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.RawWebSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JSON-RPC over the server's WebSocket: what the transport adds to the RPC peer's wire. (Every
 * example of the JSON-RPC 2.0 specification is the peer's own spec: WireSpec in switchboard-rpc,
 * run in memory and over a socket.)
 */
class SpecExamplesTest {

  private static final Duration QUIET = Duration.ofMillis(300);
  private static TestServer server;
  private RawWebSocket socket;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void connect() {
    socket = server.raw();
  }

  @AfterEach
  void nothingLeftUnread() {
    assertThat(socket.nothingWithin(QUIET)).as("no unexpected message").isTrue();
    socket.close();
  }

  @Test
  void aMessageInSeveralFragmentsIsOneMessage() {
    socket.sendTextFragments(
        "{\"jsonrpc\":\"2.0\",\"method\":", "\"sum\",\"params\":[2,3],", "\"id\":1}");
    assertThat(json(socket.nextText(WAIT)))
        .isEqualTo(json("{\"jsonrpc\":\"2.0\",\"result\":5,\"id\":1}"));
  }
}
