package dev.switchboard.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Params;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where handlers run: a method that declares itself non-blocking on the I/O thread that read its
 * request (two thread hand-offs saved), every other one on a virtual thread of its own, so a
 * blocking handler never holds up the other calls of its connection, and a deadline never
 * interrupts the I/O thread.
 */
abstract class ThreadsSpec extends PeerSpec {

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean spunInterrupted = new AtomicBoolean();

  private final RpcMethods methods =
      RpcMethods.builder()
          .nonBlockingMethod("where", call -> where())
          .method("where_blocking", call -> where())
          .method("wait_for_release", call -> release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .nonBlockingMethod(
              "spin",
              call -> {
                long until =
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(call.param(0, Integer.class));
                while (System.nanoTime() < until) {
                  Thread.onSpinWait();
                }
                spunInterrupted.set(Thread.currentThread().isInterrupted());
                return "done";
              })
          .method(
              "sleep",
              call -> {
                Thread.sleep(call.param(0, Long.class));
                return "slept";
              })
          .nonBlockingMethod("echo", call -> call.param(0, Integer.class))
          .build();

  @AfterEach
  void releaseBlockedHandlers() {
    release.countDown();
  }

  private static Map<String, Object> where() {
    Thread thread = Thread.currentThread();
    return Map.of(
        "name",
        thread.getName(),
        "virtual",
        thread.isVirtual(),
        "interrupted",
        thread.isInterrupted());
  }

  private static String call(int id, String method, String params) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\""
        + method
        + "\",\"params\":"
        + params
        + "}";
  }

  @Test
  void aNonBlockingMethodRunsOnTheIoThreadAndAnyOtherOnAVirtualThread() {
    RpcConnection caller = link(methods).caller();
    assertThat(caller.call("where", Params.none()))
        .succeedsWithin(WAIT)
        .satisfies(
            where -> {
              assertThat(where.get("name").asText()).startsWith(wire().ioThreadPrefix());
              assertThat(where.get("virtual").asBoolean()).isFalse();
            });
    assertThat(caller.call("where_blocking", Params.none()))
        .succeedsWithin(WAIT)
        .satisfies(
            where -> {
              assertThat(where.get("virtual").asBoolean()).isTrue();
              assertThat(where.get("name").asText()).doesNotStartWith(wire().ioThreadPrefix());
            });
  }

  @Test
  void slowHandlerDoesNotDelayOtherCalls() {
    RpcConnection caller = link(methods).caller();
    CompletableFuture<String> slow = caller.call("sleep", Params.of(3_000), String.class);
    for (int i = 0; i < 20; i++) {
      assertThat(caller.call("echo", Params.of(i), Integer.class))
          .succeedsWithin(1, TimeUnit.SECONDS)
          .isEqualTo(i);
    }
    assertThat(slow).isNotDone();
  }

  @Test
  void aBlockedHandlerDoesNotHoldUpTheNonBlockingCallsOfItsConnection() {
    RawPeer peer = raw(methods, RpcConfig.defaults());
    peer.send(call(1, "wait_for_release", "[]"));
    for (int id = 2; id <= 11; id++) {
      peer.send(call(id, "where", "[]"));
    }
    Map<Integer, JsonNode> first = peer.answers(10);
    assertThat(first.keySet())
        .as("answered while call 1 still blocks")
        .doesNotContain(1)
        .hasSize(10);
    release.countDown();
    assertThat(peer.answers(1).get(1).get("result").asBoolean()).isTrue();
  }

  @Test
  void aDeadlineAnswersALateNonBlockingCallButNeverInterruptsTheIoThread() {
    RawPeer peer = raw(methods, RpcConfig.defaults());
    // 200 ms of work against a 20 ms deadline, then a call that reports its thread's interrupt
    // flag.
    peer.send(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"spin\",\"params\":[200],\"timeout_ms\":20}");
    peer.send(call(2, "where", "[]"));
    Map<Integer, JsonNode> byId = peer.answers(2);
    assertThat(byId.get(1).get("error").get("code").asInt())
        .isEqualTo(ErrorObject.DEADLINE_EXCEEDED);
    assertThat(spunInterrupted).as("the I/O thread, while the late call ran").isFalse();
    assertThat(byId.get(2).get("result").get("interrupted").asBoolean()).isFalse();
    assertThat(byId.get(2).get("result").get("name").asText()).startsWith(wire().ioThreadPrefix());
  }
}
