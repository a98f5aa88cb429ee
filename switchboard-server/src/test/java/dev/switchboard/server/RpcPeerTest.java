package dev.switchboard.server;

import static dev.switchboard.server.TestServer.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.ConnectionClosedException;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java client against the server, over real sockets: what the server does to its connections
 * (shutdown, a client leaving mid-call) and binary frames. (The RPC peer's own behaviour is
 * specified in switchboard-rpc, in memory and over a socket: RpcPeerInMemoryTest,
 * RpcPeerSocketTest.)
 */
class RpcPeerTest {

  private Probe probe;
  private TestServer server;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() {
    probe = new Probe();
    server = TestServer.start(RpcMethods.builder().register(probe).build(), RpcConfig.defaults());
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    server.close();
  }

  private SwitchboardClient client() {
    return track(server.client());
  }

  private <T extends AutoCloseable> T track(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  @Test
  void theServerGoingAwayFailsTheClientsPendingCalls() {
    SwitchboardClient client = client();
    CompletableFuture<String> call =
        client.call("block", Params.none(), String.class, Duration.ofMinutes(5));
    await().atMost(WAIT).until(() -> probe.started.get() == 1);
    server.close();
    assertThat(call)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ConnectionClosedException.class);
    assertThat(client.pendingCalls()).isZero();
  }

  @Test
  void theServersCallsToTheClientFailWhenTheClientLeaves() throws Exception {
    RpcMethods clientMethods =
        RpcMethods.builder()
            .method(
                "hang",
                call -> {
                  Thread.sleep(60_000);
                  return null;
                })
            .build();
    SwitchboardClient client = track(server.clientBuilder().methods(clientMethods).connect());
    SwitchboardClient observer = client();
    CompletableFuture<JsonNode> nested =
        client.call(
            "callback", Params.of("hang", List.of()), JsonNode.class, Duration.ofMinutes(1));
    await().atMost(WAIT).until(() -> client.callsInFlight() == 1);
    client.close();
    assertThat(nested)
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ConnectionClosedException.class);
    assertThat(observer.call("echo", Params.of("still up"), String.class).join())
        .isEqualTo("still up");
  }

  @Test
  void aBinaryRequestIsAnsweredInMessagePack() throws Exception {
    var mapper = new org.msgpack.jackson.dataformat.MessagePackMapper();
    try (var socket = server.raw()) {
      socket.sendBinary(
          mapper.writeValueAsBytes(
              Map.of("jsonrpc", "2.0", "method", "sum", "params", List.of(1, 2), "id", 1)));
      JsonNode answer = mapper.readTree(socket.nextBinary(WAIT));
      assertThat(answer.get("result").asInt()).isEqualTo(3);
      assertThat(answer.get("id").asInt()).isEqualTo(1);
    }
  }
}
