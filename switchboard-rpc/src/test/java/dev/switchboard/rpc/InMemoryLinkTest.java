package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.jsonrpc.Params;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two peers with no socket between them: the protocol alone, both ways. */
class InMemoryLinkTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

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
  void closingOneSideFailsTheOthersPendingCallsAndClosesBoth() {
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
    assertThat(call)
        .failsWithin(WAIT)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(ConnectionClosedException.class);
    assertThat(link.left().closeFuture())
        .succeedsWithin(WAIT)
        .isEqualTo(new CloseReason(CloseReason.GOING_AWAY, "bye"));
    assertThat(link.left().pendingCalls()).isZero();
    link.close();
  }
}
