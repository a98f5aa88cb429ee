package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Params;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deadlines and cancellation: the caller's timeout travels as {@code timeout_ms}, the callee stops
 * the handler when it passes or when the caller cancels ({@code rpc.cancel}), and nothing is left
 * pending on either side whatever way a call ends.
 */
abstract class DeadlinesSpec extends PeerSpec {

  private final Probe probe = new Probe();

  @Test
  void theCalleeSeesTheCallersRemainingTime() {
    RpcConnection caller = link(methodsOf(probe)).caller();
    assertThat(caller.call("remaining_ms", Params.none(), Long.class, Duration.ofSeconds(4)))
        .succeedsWithin(WAIT)
        .satisfies(remaining -> assertThat(remaining).isBetween(1L, 4_000L));
  }

  @Test
  void whenTheCallerTimesOutTheCalleeIsCancelledAndInterrupted() throws Exception {
    RpcConnection caller = link(methodsOf(probe)).caller();
    CompletableFuture<String> call =
        caller.call("block", Params.none(), String.class, Duration.ofMillis(300));
    assertThat(failureOf(call))
        .isInstanceOf(CallTimeoutException.class)
        .hasMessageContaining("block");
    assertThat(probe.interrupted.await(5, TimeUnit.SECONDS)).as("handler interrupted").isTrue();
    assertThat(probe.sawCancelled).hasValue(1);
    assertThat(caller.pendingCalls()).isZero();
  }

  @Test
  void cancellingTheFutureCancelsTheCallee() throws Exception {
    RpcConnection caller = link(methodsOf(probe)).caller();
    CompletableFuture<String> call = caller.call("block", Params.none(), String.class);
    await().atMost(WAIT).until(() -> probe.started.get() == 1);
    assertThat(call.cancel(true)).isTrue();
    assertThat(probe.interrupted.await(5, TimeUnit.SECONDS)).as("handler interrupted").isTrue();
    assertThat(caller.pendingCalls()).isZero();
  }

  @Test
  void theCalleeEnforcesTheDeadlineItself() throws Exception {
    // A raw request with timeout_ms: nobody sends rpc.cancel, the callee stops the handler on its
    // own.
    RawPeer peer = raw(methodsOf(probe), RpcConfig.defaults());
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"block\",\"timeout_ms\":200,\"id\":1}");
    JsonNode answer = peer.nextJson();
    assertThat(answer.get("error").get("code").asInt()).isEqualTo(ErrorObject.DEADLINE_EXCEEDED);
    assertThat(probe.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void expiredWorkIsNotStarted() {
    RawPeer peer = raw(methodsOf(probe), RpcConfig.defaults());
    peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"touch\",\"timeout_ms\":0,\"id\":1}");
    JsonNode answer = peer.nextJson();
    assertThat(answer.get("error").get("code").asInt()).isEqualTo(ErrorObject.DEADLINE_EXCEEDED);
    assertThat(probe.started).hasValue(0);
  }

  @Test
  void noPendingEntrySurvivesAMixOfAnswersErrorsTimeoutsAndCancels() {
    Link link = link(methodsOf(probe));
    RpcConnection caller = link.caller();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(caller.call("echo", Params.of(i), Integer.class));
      calls.add(caller.call("fail", Params.of("x" + i), String.class));
      calls.add(caller.call("sleep", Params.of(2_000), Long.class, Duration.ofMillis(50)));
      CompletableFuture<Long> cancelled = caller.call("sleep", Params.of(2_000), Long.class);
      cancelled.cancel(true);
      calls.add(cancelled);
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null)
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    assertThat(caller.pendingCalls()).isZero();
    await().atMost(WAIT).until(() -> link.callee().callsInFlight() == 0);
  }
}
