package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Params;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Calling the other end: params and results bind to Java types, errors come back as {@link
 * RpcException}s with their codes, notifications and batches, MessagePack, and many calls at once
 * from many threads and both ends, callbacks included.
 */
abstract class CallsSpec extends PeerSpec {

  private final Probe probe = new Probe();

  @Test
  void typedCallsBindArgumentsAndResults() throws Exception {
    RpcConnection caller = link(methodsOf(probe)).caller();
    assertThat(caller.call("sum", Params.of(1, 2, 4), Integer.class).get(5, TimeUnit.SECONDS))
        .isEqualTo(7);
    assertThat(
            caller
                .call("subtract", Params.named(Map.of("minuend", 42, "subtrahend", 23)), Long.class)
                .get(5, TimeUnit.SECONDS))
        .isEqualTo(19L);
    assertThat(caller.call("get_data", Params.none(), Object[].class).get(5, TimeUnit.SECONDS))
        .containsExactly("hello", 5);
    assertThat(caller.call("get_data", Params.none()).get(5, TimeUnit.SECONDS))
        .as("untyped: the raw result")
        .isEqualTo(Json.toNode(List.of("hello", 5)));
  }

  @Test
  void errorsReachTheCallerAsRpcExceptionsWithTheirCodeMessageAndData() {
    RpcConnection caller = link(methodsOf(probe)).caller();

    RpcException unknown = rpcFailureOf(caller.call("nope", Params.none()));
    assertThat(unknown.code()).isEqualTo(ErrorObject.METHOD_NOT_FOUND);
    assertThat(unknown).hasMessageContaining("nope");

    RpcException invalid = rpcFailureOf(caller.call("subtract", Params.of("x", 1)));
    assertThat(invalid.code()).isEqualTo(ErrorObject.INVALID_PARAMS);
    assertThat(invalid).hasMessageContaining("minuend");

    RpcException thrown = rpcFailureOf(caller.call("fail", Params.of("disk full")));
    assertThat(thrown.code()).isEqualTo(ErrorObject.APPLICATION_ERROR);
    assertThat(thrown).hasMessage("disk full");

    RpcException chosen =
        rpcFailureOf(
            caller.call("fail_with", Params.of(4001, "out of stock", Map.of("item", "tea"))));
    assertThat(chosen.code()).isEqualTo(4001);
    assertThat(chosen).hasMessage("out of stock");
    assertThat(chosen.error().data()).hasValue(Json.toNode(Map.of("item", "tea")));
  }

  @Test
  void aNotificationRunsTheMethodAndIsNotAnswered() throws Exception {
    RpcConnection caller = link(methodsOf(probe)).caller();
    assertThat(caller.notify("update", Params.of(1, "two"))).isTrue();
    assertThat(probe.updates.poll(5, TimeUnit.SECONDS))
        .containsExactly(Json.toNode(1), Json.toNode("two"));
    assertThat(caller.pendingCalls()).isZero();
  }

  @Test
  void aBatchCompletesEachOfItsCallsAndIsSentOnceAndNeverEmpty() {
    RpcConnection caller = link(methodsOf(probe)).caller();
    RpcPeer.Batch batch = caller.batch();
    CompletableFuture<Integer> sum = batch.call("sum", Params.of(1, 2), Integer.class);
    CompletableFuture<String> fail = batch.call("fail", Params.of("no"), String.class);
    batch.notify("update", Params.of(1));
    CompletableFuture<Integer> touch = batch.call("touch", Params.none(), Integer.class);
    batch.send();
    assertThat(sum).succeedsWithin(WAIT).isEqualTo(3);
    assertThat(failureOf(fail)).isInstanceOf(RpcException.class).hasMessage("no");
    assertThat(touch).succeedsWithin(WAIT).isEqualTo(1);
    assertThatThrownBy(batch::send).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> caller.batch().send())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void messagePackRoundTripsTheSameModel() {
    RpcConnection caller =
        link(
                RpcMethods.empty(),
                RpcConfig.builder().encoding(Encoding.MSGPACK).build(),
                methodsOf(probe),
                RpcConfig.defaults())
            .caller();
    Map<String, Object> value =
        Map.of(
            "text",
            "h\u00e9llo",
            "n",
            42,
            "list",
            List.of(1.5, true, "x"),
            "nested",
            Map.of("deep", List.of(Map.of("k", -7))));
    assertThat(caller.call("echo", Params.of(value), JsonNode.class))
        .succeedsWithin(WAIT)
        .isEqualTo(Json.toNode(value));
    assertThat(
            caller.call(
                "subtract", Params.named(Map.of("minuend", 5, "subtrahend", 8)), Integer.class))
        .succeedsWithin(WAIT)
        .isEqualTo(-3);
  }

  @Test
  void manyConcurrentCallsFromManyThreadsAreEachMatchedToTheirAnswer() throws Exception {
    RpcConnection caller = link(methodsOf(probe)).caller();
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<CompletableFuture<Integer>>> submitted = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        int n = i;
        submitted.add(threads.submit(() -> caller.call("echo", Params.of(n), Integer.class)));
      }
      for (Future<CompletableFuture<Integer>> f : submitted) {
        calls.add(f.get(5, TimeUnit.SECONDS));
      }
    }
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(i);
    }
    assertThat(caller.pendingCalls()).isZero();
  }

  @Test
  void bothEndsCallEachOtherAtOnceAndEachCallGetsItsOwnAnswer() {
    Link link =
        link(methodsOf(new Probe()), RpcConfig.defaults(), methodsOf(probe), RpcConfig.defaults());
    List<CompletableFuture<Integer>> fromCaller = new ArrayList<>();
    List<CompletableFuture<Integer>> fromCallee = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      fromCaller.add(link.caller().call("echo", Params.of(i), Integer.class));
      fromCallee.add(link.callee().call("echo", Params.of(-i), Integer.class));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(fromCaller.get(i)).succeedsWithin(WAIT).isEqualTo(i);
      assertThat(fromCallee.get(i)).succeedsWithin(WAIT).isEqualTo(-i);
    }
    assertThat(link.caller().pendingCalls()).isZero();
    assertThat(link.callee().pendingCalls()).isZero();
  }

  @Test
  void nestedCallsInBothDirectionsDoNotDeadlock() {
    // caller -> callee.callback -> caller.down(n) -> callee.callback -> caller.down(n-1) ... -> 0
    RpcPeer[] self = new RpcPeer[1];
    RpcMethods callerMethods =
        RpcMethods.builder()
            .method(
                "down",
                call -> {
                  int n = call.param(0, Integer.class);
                  if (n == 0) {
                    return "bottom";
                  }
                  return self[0]
                          .call("callback", Params.of("down", List.of(n - 1)), String.class)
                          .get(5, TimeUnit.SECONDS)
                      + "<"
                      + n;
                })
            .build();
    self[0] =
        link(callerMethods, RpcConfig.defaults(), methodsOf(probe), RpcConfig.defaults()).caller();
    assertThat(self[0].call("callback", Params.of("down", List.of(4)), String.class))
        .succeedsWithin(Duration.ofSeconds(10))
        .isEqualTo("bottom<1<2<3<4");
  }

  @Test
  void theCallerMayBlockOnResultsFromPlainThreads() throws Exception {
    RpcConnection caller = link(methodsOf(probe)).caller();
    Thread[] threads = new Thread[4];
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads.length; t++) {
      int base = t * 1000;
      threads[t] =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < 50; i++) {
                        assertThat(
                                caller
                                    .call("echo", Params.of(base + i), Integer.class)
                                    .get(5, TimeUnit.SECONDS))
                            .isEqualTo(base + i);
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  });
    }
    for (Thread thread : threads) {
      assertThat(thread.join(Duration.ofSeconds(10))).as("%s finished", thread).isTrue();
    }
    assertThat(failures).isEmpty();
  }

  private static RpcException rpcFailureOf(CompletableFuture<?> call) {
    Throwable failure = failureOf(call);
    assertThat(failure).isInstanceOf(RpcException.class);
    return (RpcException) failure;
  }
}
