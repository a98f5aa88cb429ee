package dev.switchboard.server;

import static dev.switchboard.server.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.gateway.OutboxLimits;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.ConnectionClosedException;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.testing.RawWebSocket;
import dev.switchboard.testing.SilentWebSocket;
import dev.switchboard.websocket.CloseCodes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket transports' own limits, server and client: message size (1009), UTF-8 (1007), ping
 * frames, slow consumers (4008). (The RPC peer's limits, idle timeout and maximum duration are its
 * own specs: LimitsSpec and LifecycleSpec in switchboard-rpc.)
 */
class LimitsTest {

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestServer start(RpcConfig config) {
    server = TestServer.start(RpcMethods.builder().register(new Probe()).build(), config);
    return server;
  }

  private static RawWebSocket.Closed closeOf(RawWebSocket socket) {
    return socket.closed().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  @Test
  void aMessageOverTheLimitClosesTheConnectionWith1009() {
    start(RpcConfig.builder().maxMessageBytes(1024).pingInterval(Duration.ZERO).build());
    try (RawWebSocket socket = server.raw()) {
      socket.sendText(
          "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\""
              + "x".repeat(2000)
              + "\"],\"id\":1}");
      RawWebSocket.Closed closed = closeOf(socket);
      assertThat(closed.code()).as(closed.toString()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
      assertThat(closed.reason()).contains("1024");
    }
  }

  @Test
  void aFragmentedMessageOverTheLimitClosesTheConnectionWith1009() {
    start(RpcConfig.builder().maxMessageBytes(1024).pingInterval(Duration.ZERO).build());
    try (RawWebSocket socket = server.raw()) {
      String part = "x".repeat(600);
      socket.sendTextFragments(
          "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"", part, part, "\"],\"id\":1}");
      assertThat(closeOf(socket).code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }
  }

  @Test
  void aMessageAtTheLimitIsAccepted() {
    start(RpcConfig.builder().maxMessageBytes(1024).pingInterval(Duration.ZERO).build());
    try (RawWebSocket socket = server.raw()) {
      String head = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"";
      String tail = "\"],\"id\":1}";
      socket.sendText(head + "x".repeat(1024 - head.length() - tail.length()) + tail);
      assertThat(socket.nextText(WAIT)).contains("\"result\"");
    }
  }

  @Test
  void theClientClosesWith1009WhenTheServerSendsTooMuch() {
    start(RpcConfig.defaults());
    try (SwitchboardClient client =
        server.clientBuilder().rpc(RpcConfig.builder().maxMessageBytes(1000).build()).connect()) {
      assertThatThrownBy(() -> client.call("blob", Params.of(5000), String.class).join())
          .hasCauseInstanceOf(ConnectionClosedException.class);
      CloseReason reason = client.closeFuture().join();
      assertThat(reason.code()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }
  }

  @Test
  void aPeerThatNeverAnswersPingsIsClosedAfterTheMissedLimit() throws Exception {
    start(
        RpcConfig.builder()
            .pingInterval(Duration.ofMillis(100))
            .pingTimeout(Duration.ofMillis(100))
            .maxMissedPings(2)
            .build());
    try (SilentWebSocket socket = SilentWebSocket.connect(server.server.webSocketUri())) {
      RawWebSocket.Closed closed = socket.awaitClose(WAIT);
      assertThat(closed.code()).isEqualTo(CloseCodes.GOING_AWAY);
      assertThat(closed.reason()).contains("keepalive").contains("2 pings");
    }
  }

  @Test
  void aPeerThatDoesNotReadIsClosedAsASlowConsumerOnceItsQueueIsFull() throws Exception {
    server =
        new TestServer(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .outboxLimits(new OutboxLimits(1_000, 64 * 1024, 64 * 1024))
                .methods(RpcMethods.builder().register(new Probe()).build())
                .build());
    try (SilentWebSocket socket = SilentWebSocket.connect(server.server.webSocketUri())) {
      String payload = "x".repeat(8 * 1024);
      try {
        for (int i = 0;
            i < 1000;
            i++) { // ~8 MiB of answers, far more than the queue and socket buffers hold
          socket.sendText(
              "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\""
                  + payload
                  + "\"],\"id\":"
                  + i
                  + "}");
        }
      } catch (java.io.IOException closedMeanwhile) {
        // the server may drop the connection while we still write; its close frame is already on
        // the way
      }
      RawWebSocket.Closed closed = socket.awaitClose(Duration.ofSeconds(20));
      assertThat(closed.code()).isEqualTo(Session.SLOW_CONSUMER);
      assertThat(closed.reason()).contains("slow consumer").contains("65536 bytes");
    }
  }

  @Test
  void aTextMessageThatIsNotUtf8ClosesTheConnectionWith1007() throws Exception {
    start(RpcConfig.builder().pingInterval(Duration.ZERO).build());
    try (SilentWebSocket socket = SilentWebSocket.connect(server.server.webSocketUri())) {
      socket.sendTextBytes(new byte[] {'{', (byte) 0xFF, (byte) 0xFE, '}'});
      RawWebSocket.Closed closed = socket.awaitClose(WAIT);
      assertThat(closed.code()).isEqualTo(CloseCodes.INVALID_PAYLOAD);
      assertThat(closed.reason()).contains("UTF-8");
    }
  }

  @Test
  void aPlainWebSocketClientThatNeverSpeaksStaysConnected() throws Exception {
    // Its WebSocket stack answers ping frames; it never answers rpc.ping, and need not.
    start(
        RpcConfig.builder()
            .pingInterval(Duration.ofMillis(50))
            .pingTimeout(Duration.ofMillis(200))
            .maxMissedPings(2)
            .build());
    try (RawWebSocket socket = server.raw()) {
      assertThat(socket.nothingWithin(Duration.ofMillis(800))).isTrue();
      assertThat(socket.closed()).isNotDone();
      socket.sendText("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":1}");
      assertThat(socket.nextText(WAIT)).contains("\"result\":1");
    }
  }

  @Test
  void aPeerThatAnswersPingsStaysConnected() throws Exception {
    start(
        RpcConfig.builder()
            .pingInterval(Duration.ofMillis(50))
            .pingTimeout(Duration.ofMillis(500))
            .maxMissedPings(2)
            .build());
    try (SwitchboardClient client = server.client()) {
      Thread.sleep(800);
      assertThat(client.isOpen()).isTrue();
      assertThat(client.call("echo", Params.of(1), Integer.class).join()).isEqualTo(1);
    }
  }
}
