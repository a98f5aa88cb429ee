package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Params;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The limits of one connection, each reached with a clear answer: calls in flight (-32001 busy),
 * our pending calls ({@link PendingCallsLimitException}), message size, batch size.
 */
abstract class LimitsSpec extends PeerSpec {

  private final Probe probe = new Probe();

  @Test
  void callsBeyondTheInFlightLimitAreAnsweredBusy() {
    RpcConnection caller =
        link(methodsOf(probe), RpcConfig.builder().maxInFlightCalls(2).build()).caller();
    CompletableFuture<String> first = caller.call("block", Params.none(), String.class);
    CompletableFuture<String> second = caller.call("block", Params.none(), String.class);
    await().atMost(WAIT).until(() -> probe.started.get() == 2);
    Throwable third = failureOf(caller.call("touch", Params.none(), Integer.class));
    assertThat(third).isInstanceOf(RpcException.class);
    assertThat(((RpcException) third).code()).isEqualTo(ErrorObject.BUSY);
    assertThat(third).hasMessageContaining("2");
    first.cancel(true);
    second.cancel(true);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(caller.call("touch", Params.none(), Integer.class))
                    .succeedsWithin(WAIT)
                    .isEqualTo(3));
  }

  @Test
  void callsBeyondThePendingLimitFailAtOnceWithAClearException() {
    RpcConnection caller =
        link(
                RpcMethods.empty(),
                RpcConfig.builder().maxPendingCalls(2).build(),
                methodsOf(probe),
                RpcConfig.defaults())
            .caller();
    caller.call("block", Params.none(), String.class);
    caller.call("block", Params.none(), String.class);
    CompletableFuture<String> third = caller.call("block", Params.none(), String.class);
    assertThat(third).isCompletedExceptionally();
    assertThat(failureOf(third))
        .isInstanceOf(PendingCallsLimitException.class)
        .hasMessageContaining("2");
  }

  @Test
  void aCallOrNotificationOverTheSizeLimitIsRefusedBeforeItIsSentWithAClearMessage() {
    RpcConnection caller =
        link(
                RpcMethods.empty(),
                RpcConfig.builder().maxMessageBytes(1000).build(),
                methodsOf(probe),
                RpcConfig.defaults())
            .caller();
    assertThat(failureOf(caller.call("echo", Params.of("x".repeat(2000)), String.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the limit is 1000");
    assertThat(caller.pendingCalls()).isZero();
    assertThatThrownBy(() -> caller.notify("update", Params.of("x".repeat(2000))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the limit is 1000");
    assertThat(caller.call("echo", Params.of("small"), String.class))
        .succeedsWithin(WAIT)
        .isEqualTo("small");
  }

  @Test
  void anAnswerOverTheSizeLimitIsReplacedByAnInternalError() {
    RpcConnection caller =
        link(methodsOf(probe), RpcConfig.builder().maxMessageBytes(1000).build()).caller();
    Throwable failure = failureOf(caller.call("blob", Params.of(5000), String.class));
    assertThat(failure).isInstanceOf(RpcException.class).hasMessageContaining("the limit is 1000");
    assertThat(((RpcException) failure).code()).isEqualTo(ErrorObject.INTERNAL_ERROR);
    assertThat(caller.call("blob", Params.of(10), String.class))
        .succeedsWithin(WAIT)
        .isEqualTo("x".repeat(10));
  }

  @Test
  void aBatchOverTheBatchSizeLimitIsAnsweredWithOneInvalidRequest() {
    RawPeer peer = raw(methodsOf(probe), RpcConfig.builder().maxBatchSize(2).build());
    String touch = "{\"jsonrpc\":\"2.0\",\"method\":\"touch\",\"id\":1}";
    peer.send("[" + touch + "," + touch + "," + touch + "]");
    JsonNode answer = peer.nextJson();
    assertThat(answer.isObject()).as("one answer, not a batch: %s", answer).isTrue();
    assertThat(answer.get("id").isNull()).isTrue();
    assertThat(answer.get("error").get("code").asInt()).isEqualTo(ErrorObject.INVALID_REQUEST);
    assertThat(answer.get("error").get("message").asText()).contains("3").contains("2");
    assertThat(probe.started).hasValue(0);
  }
}
