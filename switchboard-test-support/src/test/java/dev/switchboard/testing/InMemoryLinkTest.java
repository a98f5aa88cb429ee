package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.CloseReason;
import dev.switchboard.rpc.ConnectionClosedException;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two peers with no socket between them: the protocol alone, both ways. */
class InMemoryLinkTest {

  @Test
  void eachSideCallsTheOtherAndACallbackCrossesBack() throws Exception {
    RpcMethods leftMethods = RpcMethods.builder().method("name", call -> "left").build();
    RpcMethods rightMethods =
        RpcMethods.builder()
            .method(
                "greet",
                call ->
                    "hello "
                        + call.peer()
                            .call("name", Params.none(), String.class)
                            .get(5, TimeUnit.SECONDS))
            .build();
    try (InMemoryLink link = InMemoryLink.open(leftMethods, rightMethods, RpcConfig.defaults())) {
      assertThat(link.left().call("greet", Params.none(), String.class).get(5, TimeUnit.SECONDS))
          .isEqualTo("hello left");
      assertThat(link.right().call("name", Params.none(), String.class).get(5, TimeUnit.SECONDS))
          .isEqualTo("left");
      assertThat(link.left().pendingCalls()).isZero();
      assertThat(link.right().pendingCalls()).isZero();
    }
  }

  @Test
  void withoutTransportPingsRpcPingKeepsAnAnsweringPeerConnected() throws Exception {
    RpcConfig keepalive =
        RpcConfig.builder()
            .pingInterval(Duration.ofMillis(30))
            .pingTimeout(Duration.ofMillis(300))
            .maxMissedPings(2)
            .build();
    try (InMemoryLink link = InMemoryLink.open(RpcMethods.empty(), RpcMethods.empty(), keepalive)) {
      Thread.sleep(400);
      assertThat(link.left().isOpen()).isTrue();
      assertThat(link.right().isOpen()).isTrue();
      assertThat(link.sentByLeft()).as("pings and pongs went both ways").isGreaterThan(2);
      assertThat(link.sentByRight()).isGreaterThan(2);
    }
  }

  @Test
  void closingOneSideFailsTheOthersPendingCalls() throws Exception {
    RpcMethods slow =
        RpcMethods.builder()
            .method(
                "hang",
                call -> {
                  Thread.sleep(60_000);
                  return null;
                })
            .build();
    InMemoryLink link = InMemoryLink.open(RpcMethods.empty(), slow, RpcConfig.defaults());
    CompletableFuture<String> call = link.left().call("hang", Params.none(), String.class);
    link.right().close(CloseReason.GOING_AWAY, "bye");
    try {
      call.get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected the call to fail");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ConnectionClosedException.class);
    }
    assertThat(link.left().pendingCalls()).isZero();
    link.close();
  }
}
